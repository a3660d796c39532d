package spooled

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/spool"
)

// TestRouterSendsEachKindToItsSink relays records of three kinds through
// one Router to two file sinks: each gets its kind's rows exactly once,
// the third kind is passed over, and the cursor reaches the end.
func TestRouterSendsEachKindToItsSink(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	open := func(sub string) *filesink.Sink {
		s, err := filesink.Open(filesink.Config{Dir: dir, Subdir: sub, Spooled: true, FlushInterval: time.Hour,
			RollInterval: time.Hour, Logger: log, Metrics: metrics.NewSet()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	events, consent := open("events"), open("consent")
	sp, err := spool.Open(spool.Config{Dir: filepath.Join(dir, "spool"), Consumers: []string{"files"}, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	reader, _ := sp.Reader("files")
	router := NewRouter(map[sink.Kind]sink.Positioned{sink.KindEvents: events, sink.KindConsent: consent})
	relay, err := StartRelay(RelayConfig{Spool: sp, Reader: reader, Sink: router, Name: "files", MaxRecords: 7,
		MaxWait: time.Millisecond, CommitEvery: 5 * time.Millisecond, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(sp)
	for i := range 60 {
		kind := sink.Kind(i % 3)
		rec := sink.Record{Kind: kind, Site: []byte("example.com"), ReceivedAt: start, Events: 1,
			Rows: fmt.Appendf(nil, `{"event_id":"%s-%d"}`+"\n", kind, i)}
		if err := w.Append(t.Context(), &rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := relay.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := router.Close(); err != nil {
		t.Fatal(err)
	}
	relay.Commit()
	if got := reader.Committed(); got != sp.Last() {
		t.Errorf("cursor %d, want %d", got, sp.Last())
	}
	for sub, kind := range map[string]sink.Kind{"events": sink.KindEvents, "consent": sink.KindConsent} {
		got := eventIDsIn(t, filepath.Join(dir, sub))
		if len(got) != 20 {
			t.Errorf("%s: %d rows, want 20: %v", sub, len(got), got)
		}
		for i := int(kind); i < 60; i += 3 {
			if n := got[fmt.Sprintf("%s-%d", kind, i)]; n != 1 {
				t.Errorf("%s: row %s-%d %d times", sub, kind, i, n)
			}
		}
	}
}
