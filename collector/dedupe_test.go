package collector

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
)

// TestConcurrentRetriesLandOnce sends the same batches from several
// senders at once, retrying what is answered 503 as a page would, and reads
// the files back: every event is there exactly once.
func TestConcurrentRetriesLandOnce(t *testing.T) {
	cfg, _ := testConfig(t)
	s := start(t, cfg)
	const batches, senders = 10, 6
	bodies := make([][]byte, batches)
	for i := range bodies {
		bodies[i] = batchBodyFrom(t, "example.com", i*20, 20)
	}
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for _, body := range bodies {
				for try := 0; ; try++ {
					resp := post(t, s.url, body, testOrigin)
					if resp.StatusCode == http.StatusAccepted {
						break
					}
					if resp.StatusCode != http.StatusServiceUnavailable || try == 50 {
						t.Errorf("POST /e: %s %s", resp.Status, resp.Header.Get("X-Crumbless-Reason"))
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	// Each event was sent by every sender: once fresh, then a duplicate.
	want := fmt.Sprintf("crumbless_events_duplicate_total %d\n", (senders-1)*batches*20)
	if _, body := get(t, "GET", s.url+"/metrics"); !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %q", want)
	}
	shutdown(t, s.Server)
	seen := map[string]int{}
	for _, r := range checkFiles(t, cfg.DataDir, "example.com") {
		seen[r["event_id"].(string)]++
	}
	if len(seen) != batches*20 {
		t.Errorf("%d distinct events in the files, want %d", len(seen), batches*20)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s is in the files %d times", id, n)
		}
	}
}

// batchBodyFrom returns a gzip-compressed batch of n pageviews for site,
// with event ids ev-FROM and on.
func batchBodyFrom(t *testing.T, site string, from, n int) []byte {
	t.Helper()
	now := time.Now().UnixMilli()
	b := wire.Batch{Version: wire.Version, Site: []byte(site), SentAt: now}
	for i := from; i < from+n; i++ {
		b.Events = append(b.Events, wire.Event{ID: fmt.Appendf(nil, "ev-%d", i), Kind: wire.KindPageview, TS: now - 100,
			Path: fmt.Appendf(nil, "/page/%d", i)})
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(wire.AppendBatch(nil, &b)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDedupeConfig(t *testing.T) {
	for _, tc := range []struct {
		d    DedupeConfig
		want string
	}{
		{DedupeConfig{Window: 500 * time.Millisecond}, "dedupe.window: 500ms is too short"},
		{DedupeConfig{MaxEvents: -1}, "dedupe.max_events: -1 is negative"},
	} {
		cfg, _ := testConfig(t)
		cfg.Dedupe = tc.d
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.d, err, tc.want)
		}
	}
	cfg, _ := testConfig(t)
	cfg.Dedupe = DedupeConfig{Window: time.Hour, MaxEvents: 1000}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestRetryAfterRestartLandsOnce: a batch acknowledged just before a stop
// and sent again after the restart (its answer was lost) is dropped as a
// duplicate: the seen-set starts with the event ids still in the spool.
func TestRetryAfterRestartLandsOnce(t *testing.T) {
	cfg, logs := testConfig(t)
	body := batchBodyFrom(t, "example.com", 0, 20)
	s := start(t, cfg)
	if resp := post(t, s.url, body, testOrigin); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("first send: %s", resp.Status)
	}
	shutdown(t, s.Server)

	s = start(t, cfg)
	if !strings.Contains(logs.String(), "seen-set seeded from the spool") || !strings.Contains(logs.String(), "event_ids=20") {
		t.Errorf("no seeding logged:\n%s", logs)
	}
	if resp := post(t, s.url, body, testOrigin); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("the retry: %s", resp.Status)
	}
	if _, metrics := get(t, "GET", s.url+"/metrics"); !strings.Contains(string(metrics), "crumbless_events_duplicate_total 20\n") {
		t.Errorf("the retry's events were not dropped as duplicates")
	}
	shutdown(t, s.Server)
	seen := map[string]int{}
	for _, r := range checkFiles(t, cfg.DataDir, "example.com") {
		seen[r["event_id"].(string)]++
	}
	if len(seen) != 20 {
		t.Errorf("%d distinct events in the files, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s is in the files %d times", id, n)
		}
	}
}
