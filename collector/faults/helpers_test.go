package faults

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/internal/rig"
	"github.com/crumbless/crumbless/sdk/wire"
)

// binary is the collector, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crumbless-faults-")
	if err != nil {
		panic(err)
	}
	if binary, err = rig.BuildCollector(dir); err != nil {
		os.Stderr.WriteString("faults: " + err.Error() + "\n")
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// collector is a running collector process.
type collector struct {
	*rig.Collector
	t *testing.T
}

// start runs `crumbless serve -demo -listen 127.0.0.1:0 -data DATA
// -config CONFIG` and waits for its address.
func start(t *testing.T, data, config string) *collector {
	t.Helper()
	c, err := rig.StartCollector(binary, "-demo", "-data", data, "-config", config, "-pages", filepath.Join(data, "no-pages"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Kill)
	return &collector{c, t}
}

func (c *collector) logs() string { return c.Log() }

// kill sends SIGKILL and waits for the process to be gone.
func (c *collector) kill() { c.Kill() }

// stop sends SIGTERM and requires exit 0 within 30 s.
func (c *collector) stop() {
	c.t.Helper()
	if err := c.Stop(); err != nil {
		c.t.Fatalf("%v\n%s", err, c.logs())
	}
}

// metric returns the value of a metric on /metrics, or -1.
func (c *collector) metric(name string) float64 {
	resp, err := http.Get(c.URL + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(body)) {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v
		}
	}
	return -1
}

// waitDrained waits until the file sink's cursor has caught up with the
// spool: every spooled batch is in a complete file.
func (c *collector) waitDrained() {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for c.metric(`crumbless_sink_lag_records{sink="files"}`) != 0 {
		if time.Now().After(deadline) {
			c.t.Fatalf("the spool did not drain:\n%s", c.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeConfig writes a demo configuration with quick file rolls, no rate
// limits (the load comes from one address) and the given spool block.
func writeConfig(t *testing.T, spool string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crumbless.yaml")
	cfg := "files:\n  roll_interval: 1s\n  flush_interval: 1s\n  max_file_bytes: 200000\n" +
		"limits:\n  network_rate: 0\n  site_rate: 0\n" + spool
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// load posts batches of 20 pageviews with unique event ids from several
// goroutines, every fourth with a consent event too, and records which ids
// were acknowledged.
type load struct {
	site   string
	mu     sync.Mutex
	acked  map[string]bool
	status map[int]int
	header map[string]string // Retry-After and reason of the last 503
	sent   int
	stop   chan struct{}
	wg     sync.WaitGroup
	client *http.Client
}

func newLoad(site string) *load {
	return &load{site: site, acked: map[string]bool{}, status: map[int]int{}, header: map[string]string{},
		stop: make(chan struct{}), client: &http.Client{Timeout: 10 * time.Second}}
}

// run starts workers posting to url until end is called.
func (l *load) run(url string, workers int) {
	for w := range workers {
		l.wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-l.stop:
					return
				default:
				}
				l.post(url, fmt.Sprintf("w%d-b%d", w, n))
			}
		})
	}
}

func (l *load) end() {
	close(l.stop)
	l.wg.Wait()
}

// post sends one batch whose ids start with prefix; it reports whether it
// was acknowledged.
func (l *load) post(url, prefix string) bool {
	now := time.Now().UnixMilli()
	b := wire.Batch{Version: wire.Version, Site: []byte(l.site), SentAt: now}
	ids := make([]string, 20)
	if strings.HasSuffix(prefix, "0") || strings.HasSuffix(prefix, "4") || strings.HasSuffix(prefix, "8") {
		id := fmt.Sprintf("%s-%s-consent", l.site, prefix)
		ids = append(ids, id)
		b.Events = append(b.Events, wire.Event{ID: []byte(id), Kind: wire.KindConsent, TS: now,
			Method: []byte("banner-custom"), States: []byte("GGGDD")})
	}
	for i := range ids[:20] {
		ids[i] = fmt.Sprintf("%s-%s-e%d", l.site, prefix, i)
		b.Events = append(b.Events, wire.Event{ID: []byte(ids[i]), Kind: wire.KindPageview, TS: now,
			Path: fmt.Appendf(nil, "/page/%d", i), Title: []byte("A page of the fault test, long enough to weigh something"),
			Referrer: []byte("https://search.example/?q=fault"), Lang: []byte("en"), Viewport: []byte("lg")})
	}
	resp, err := l.client.Post(url+"/e", "text/plain", bytes.NewReader(wire.AppendBatch(nil, &b)))
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent++
	if err != nil {
		l.status[0]++
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	l.status[resp.StatusCode]++
	if resp.StatusCode == http.StatusServiceUnavailable {
		l.header["Retry-After"] = resp.Header.Get("Retry-After")
		l.header["reason"] = resp.Header.Get("X-Crumbless-Reason")
	}
	if resp.StatusCode/100 != 2 {
		return false
	}
	for _, id := range ids {
		l.acked[id] = true
	}
	return true
}

func (l *load) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// check reads every output file and requires every acknowledged event
// exactly once (a consent event as a consent record), no event twice, and
// each site's consent record chain unbroken.
func (l *load) check(t *testing.T, data string) {
	t.Helper()
	got := eventIDs(t, data, "events")
	records := eventIDs(t, data, record.Subdir)
	for id, n := range records {
		got[id] += n
	}
	res, err := record.Verify(data, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Break != nil {
			t.Errorf("the consent record chain of %s breaks: %+v", r.Site, r.Break)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	missing, twice := 0, 0
	for id := range l.acked {
		if got[id] != 1 {
			if missing++; missing <= 5 {
				t.Errorf("acknowledged event %s is in the files %d times", id, got[id])
			}
		}
	}
	for id, n := range got {
		if n > 1 {
			if twice++; twice <= 5 {
				t.Errorf("event %s is in the files %d times", id, n)
			}
		}
	}
	t.Logf("%d batches sent, statuses %v; %d events acknowledged, %d in the files (%d consent records); %d acknowledged not once, %d twice or more",
		l.sent, l.status, len(l.acked), len(got), len(records), missing, twice)
}

// eventIDs counts the event ids in every complete output file (NDJSON,
// zstd) below data/subdir, and fails on anything that does not decode.
func eventIDs(t *testing.T, data, subdir string) map[string]int {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	got := map[string]int{}
	err = filepath.WalkDir(filepath.Join(data, subdir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(d.Name(), ".ndjson.zst") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := dec.Reset(f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		sc := bufio.NewScanner(dec)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var row struct {
				EventID string `json:"event_id"`
			}
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			got[row.EventID]++
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// waitFor polls cond every 10 ms until it holds or the time runs out.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
