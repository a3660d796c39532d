package s3sink

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/sinktest"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// downBound is how long WriteBatch may take to give up on a server that
// is down: the client's few retries, not minutes.
const downBound = 15 * time.Second

// TestServerDown stops the server under a connected sink: WriteBatch
// fails promptly, and works again once the server is back.
func TestServerDown(t *testing.T) {
	srv := startServer(t)
	s := openSink(t, srv.config(t))
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 23, 22, 5, 9, 0, time.UTC)
	b := &sink.Batch{Records: []sink.Record{{Site: []byte("example.com"), ReceivedAt: at,
		Rows: []byte("{\"event_id\":\"a\"}\n"), Events: 1, Pos: 1}}}

	srv.Close()
	start := time.Now()
	err := s.WriteBatch(t.Context(), b)
	took := time.Since(start)
	if err == nil {
		t.Fatal("WriteBatch with the server down = nil, want an error")
	}
	if took > downBound {
		t.Errorf("WriteBatch with the server down took %s, want at most %s", took, downBound)
	}
	t.Logf("server down: error after %s: %v", took.Round(time.Millisecond), err)

	srv.restart(t)
	if err := s.WriteBatch(t.Context(), b); err != nil {
		t.Fatalf("WriteBatch once the server is back: %v", err)
	}
	if rows := srv.rows(t); len(rows) != 1 {
		t.Errorf("%d rows stored, want 1", len(rows))
	}
}

// TestOutageThroughRelay runs the sinks framework over a real spool while
// the server goes down, the collector "crashes" (the relay stops without
// draining and the spool is reopened, with a new sink) and the server
// comes back: every event appended is stored at least once, and exactly
// once after deduplicating on event_id.
func TestOutageThroughRelay(t *testing.T) {
	srv := startServer(t)
	dir := filepath.Join(t.TempDir(), "spool")
	appended := 0
	appendN := func(w *spooled.Writer, n int) {
		t.Helper()
		for range n {
			rec := sink.Record{Kind: sink.Kind(appended % 3), Site: []byte([]string{"example.com", "b-2.example"}[appended%2]),
				ReceivedAt: time.Now().Add(time.Duration(appended) * 11 * time.Minute), Events: 2}
			for j := range 2 {
				rec.Rows = fmt.Appendf(rec.Rows, `{"event_id":"evt-%d-%d","type":"pageview"}`+"\n", appended, j)
			}
			if err := w.Append(t.Context(), &rec); err != nil {
				t.Fatal(err)
			}
			appended++
		}
	}

	// Before the outage.
	sp, reader := openSpool(t, dir)
	s1 := openSink(t, srv.config(t))
	relay := startRelay(t, sp, reader, s1, metrics.NewSet())
	w := spooled.NewWriter(sp)
	appendN(w, 40)
	waitFor(t, "the first records in the bucket", func() bool { return len(srv.keys(t)) > 0 })

	// The server goes down; records keep coming and wait in the spool.
	srv.Close()
	appendN(w, 40)
	time.Sleep(time.Second) // the relay fails and retries meanwhile

	// The collector stops without draining, and starts again.
	relay.Stop()
	s1.Close()
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	sp, reader = openSpool(t, dir)
	defer sp.Close()
	s2 := openSink(t, srv.config(t))
	set := metrics.NewSet()
	relay = startRelay(t, sp, reader, s2, set)
	w = spooled.NewWriter(sp)
	appendN(w, 40)
	errs := set.GetOrCreateCounter(`crumbless_sink_errors_total{sink="s3"}`)
	waitFor(t, "the relay to count an error while the server is down", func() bool { return errs.Get() > 0 })

	// The server is back: the relay delivers everything.
	srv.restart(t)
	if err := relay.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	relay.Commit()
	if got, last := reader.Committed(), sp.Last(); got != last {
		t.Errorf("cursor at %d after the drain, want %d", got, last)
	}
	checkEventIDs(t, srv.rows(t), appended)
}

// checkEventIDs checks that rows hold evt-<i>-<j> for every i below
// records and j of 0 and 1, at least once, and nothing else.
func checkEventIDs(t *testing.T, rows []sinktest.Row, records int) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range rows {
		var v struct {
			EventID string `json:"event_id"`
		}
		if err := json.Unmarshal([]byte(r.Line), &v); err != nil {
			t.Fatalf("row %q: %v", r.Line, err)
		}
		seen[v.EventID]++
	}
	missing, dup := 0, 0
	for i := range records {
		for j := range 2 {
			n := seen[fmt.Sprintf("evt-%d-%d", i, j)]
			if n == 0 {
				missing++
			}
			dup += max(n-1, 0)
			delete(seen, fmt.Sprintf("evt-%d-%d", i, j))
		}
	}
	if missing > 0 || len(seen) > 0 {
		t.Errorf("%d of %d events missing, %d unknown", missing, 2*records, len(seen))
	}
	t.Logf("%d rows read back for %d events: %d duplicates, removed by deduplicating on event_id", len(rows), 2*records, dup)
}

func openSpool(t *testing.T, dir string) (*spool.Spool, *spool.Reader) {
	t.Helper()
	sp, err := spool.Open(spool.Config{Dir: dir, Consumers: []string{"s3"},
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	reader, err := sp.Reader("s3")
	if err != nil {
		t.Fatal(err)
	}
	return sp, reader
}

func startRelay(t *testing.T, sp *spool.Spool, reader *spool.Reader, s sink.Sink, set *metrics.Set) *spooled.Relay {
	t.Helper()
	relay, err := spooled.StartRelay(spooled.RelayConfig{Spool: sp, Reader: reader, Sink: s, Name: "s3",
		MaxRecords: 8, MaxWait: 5 * time.Millisecond, MaxInFlight: 2, CommitEvery: 20 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Metrics: set})
	if err != nil {
		t.Fatal(err)
	}
	return relay
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
