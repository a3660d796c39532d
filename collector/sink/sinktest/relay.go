package sinktest

import (
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// throughRelay appends records to a real spool from several goroutines
// while the sinks framework feeds the sink in batches, several in flight
// (one for a Positioned sink); after a drain every row is stored once and
// the cursor is at the end.
func throughRelay(t *testing.T, h Harness) {
	s, read := h.Open(t)
	sp, err := spool.Open(spool.Config{Dir: filepath.Join(t.TempDir(), "spool"), Consumers: []string{"conformance"},
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	reader, err := sp.Reader("conformance")
	if err != nil {
		t.Fatal(err)
	}
	relay, err := spooled.StartRelay(spooled.RelayConfig{Spool: sp, Reader: reader, Sink: s, Name: "conformance",
		MaxRecords: 16, MaxWait: 5 * time.Millisecond, MaxInFlight: 4, CommitEvery: 10 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(h.Kinds)
	var mu sync.Mutex // gen is not safe for concurrent use
	w := spooled.NewWriter(sp)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 75 {
				mu.Lock()
				rec := g.record(3)
				mu.Unlock()
				if err := w.Append(t.Context(), &rec); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := relay.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	closeSink(t, s)
	relay.Commit()
	if got, last := reader.Committed(), sp.Last(); got != last {
		t.Errorf("cursor at %d after the drain, want %d", got, last)
	}
	g.check(t, read(t))
}
