package spooled

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/spool"
)

var start = time.Date(2026, 11, 23, 18, 20, 1, 0, time.UTC)

// rig is a spool feeding a file sink through a relay, as the collector
// wires them, in one data directory.
type rig struct {
	t      *testing.T
	dir    string
	spool  *spool.Spool
	files  *filesink.Sink
	relay  *Relay
	writer *Writer
	logs   *bytes.Buffer

	closeMayFail bool
	fileMetrics  *metrics.Set
}

// metric returns the value of a file sink metric.
func (r *rig) metric(name string) string {
	var buf bytes.Buffer
	r.fileMetrics.WritePrometheus(&buf)
	for line := range strings.Lines(buf.String()) {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

func openRig(t *testing.T, dir string, budget int64) *rig {
	return openRigCommitting(t, dir, budget, 10*time.Millisecond)
}

// openRigCommitting opens a rig whose relay commits every commitEvery.
func openRigCommitting(t *testing.T, dir string, budget int64, commitEvery time.Duration) *rig {
	t.Helper()
	r := &rig{t: t, dir: dir, logs: &bytes.Buffer{}, fileMetrics: metrics.NewSet()}
	log := slog.New(slog.NewTextHandler(r.logs, nil))
	var err error
	r.files, err = filesink.Open(filesink.Config{Dir: dir, Spooled: true, FlushInterval: time.Hour, RollInterval: time.Hour,
		MaxFileBytes: 2000, Logger: log, Metrics: r.fileMetrics})
	if err != nil {
		t.Fatal(err)
	}
	r.spool, err = spool.Open(spool.Config{Dir: filepath.Join(dir, "spool"), Consumers: []string{"files"},
		BudgetBytes: budget, SegmentBytes: budget / 4, FirstPos: r.files.MaxPublished() + 1, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	reader, _ := r.spool.Reader("files")
	r.files.Committed(reader.Committed())
	r.relay, err = StartRelay(RelayConfig{Spool: r.spool, Reader: reader, Sink: r.files, Name: "files",
		CommitEvery: commitEvery, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	r.writer = NewWriter(r.spool)
	return r
}

// crash stops the relay and the spool and drops the file sink with its
// files open and its buffers unwritten: what a kill -9 leaves.
func (r *rig) crash() {
	r.relay.Stop()
	r.spool.Close()
}

// stop drains and closes as the collector's shutdown does.
func (r *rig) stop() {
	r.t.Helper()
	if err := r.relay.Drain(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
	if err := r.files.Close(); err != nil && !r.closeMayFail {
		r.t.Fatal(err)
	}
	r.relay.Commit()
	r.spool.Close()
}

// send writes a batch of events with ids from ids through the spool.
func (r *rig) send(ids ...int) error {
	b := &sink.Record{Site: []byte("example.com"), ReceivedAt: start, Events: len(ids)}
	for _, id := range ids {
		b.Rows = fmt.Appendf(b.Rows, `{"event_id":"e-%d","pad":"%s"}`+"\n", id, strings.Repeat("x", 40))
	}
	return r.writer.Append(context.Background(), b)
}

// waitHanded waits until the relay has handed every record to the sink.
func (r *rig) waitHanded() {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.relay.flight.done() < r.spool.Last() {
		if time.Now().After(deadline) {
			r.t.Fatalf("relay stuck at %d of %d", r.relay.flight.done(), r.spool.Last())
		}
		time.Sleep(time.Millisecond)
	}
}

// eventIDs counts the event ids in the complete files.
func eventIDs(t *testing.T, dir string) map[string]int {
	t.Helper()
	return eventIDsIn(t, filepath.Join(dir, "events"))
}

// eventIDsIn counts the event ids in the complete files below root.
func eventIDsIn(t *testing.T, root string) map[string]int {
	t.Helper()
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	got := map[string]int{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ndjson.zst") || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		raw, _ := os.ReadFile(path)
		plain, err := dec.DecodeAll(raw, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for line := range strings.Lines(string(plain)) {
			var row struct {
				EventID string `json:"event_id"`
			}
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			got[row.EventID]++
		}
		return nil
	})
	return got
}

func checkExactlyOnce(t *testing.T, got map[string]int, n int) {
	t.Helper()
	for i := range n {
		if c := got[fmt.Sprint("e-", i)]; c != 1 {
			t.Errorf("event e-%d is in the files %d times", i, c)
		}
	}
	if len(got) != n {
		t.Errorf("%d distinct events in the files, want %d", len(got), n)
	}
}

// pausable is a sink that blocks while paused.
type pausable struct {
	mu     sync.Mutex
	paused bool
	cond   *sync.Cond
	rows   map[string]int
}

func newPausable() *pausable {
	p := &pausable{rows: map[string]int{}}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *pausable) Connect(context.Context) error { return nil }

func (p *pausable) WriteBatch(_ context.Context, b *sink.Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.paused {
		p.cond.Wait()
	}
	for _, rec := range b.Records {
		for line := range strings.Lines(string(rec.Rows)) {
			var row struct {
				EventID string `json:"event_id"`
			}
			json.Unmarshal([]byte(line), &row)
			p.rows[row.EventID]++
		}
	}
	return nil
}

func (p *pausable) Close() error { return nil }

func (p *pausable) pause(on bool) {
	p.mu.Lock()
	p.paused = on
	p.mu.Unlock()
	p.cond.Broadcast()
}
