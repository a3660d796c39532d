package kafkasink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// TestBrokerOutage appends to a real spool while the sinks framework
// relays it to Kafka, four batches in flight, and cuts every broker off
// for three seconds in the middle (connections reset, or stalled):
// WriteBatch fails or times out, the sink drops its connection, the
// framework reconnects and hands the batches again. After the drain every
// appended event is in Kafka at least once, and exactly once after
// deduplication by event_id.
func TestBrokerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about fifteen seconds")
	}
	t.Run("reset", func(t *testing.T) { outage(t, (*gate).cut) })
	t.Run("stall", func(t *testing.T) { outage(t, (*gate).stallAll) })
}

func outage(t *testing.T, cut func(*gate)) {
	c := newCluster(t)
	cfg := c.config()
	cfg.ProduceTimeout = time.Second
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sp, reader := openSpool(t, "kafka")
	relay, err := spooled.StartRelay(spooled.RelayConfig{Spool: sp, Reader: reader, Sink: s, Name: "kafka",
		MaxRecords: 16, MaxWait: 5 * time.Millisecond, MaxInFlight: 4, CommitEvery: 50 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}

	var appended atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		appendUntil(t, spooled.NewWriter(sp), stop, &appended)
	}()
	time.Sleep(time.Second)
	before := appended.Load()
	cut(c.gate)
	time.Sleep(3 * time.Second)
	c.gate.restore()
	during := appended.Load() - before
	time.Sleep(time.Second)
	close(stop)
	<-done

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	if err := relay.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	relay.Commit()
	if got, last := reader.Committed(), sp.Last(); got != last {
		t.Errorf("cursor at %d after the drain, want %d", got, last)
	}
	n := int(appended.Load()) * rowsPerRecord
	seen := map[string]int{}
	for _, r := range readTopics(t, cfg.Brokers, cfg.Topics.Events) {
		seen[string(scanRow([]byte(r.value)).eventID)]++
	}
	dups := 0
	for i := range n {
		switch k := seen[eventID(i)]; {
		case k == 0:
			t.Errorf("event %s is not in Kafka", eventID(i))
		case k > 1:
			dups += k - 1
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct events in Kafka, %d appended", len(seen), n)
	}
	t.Logf("%d events appended (%d during the 3s outage), %d duplicates in Kafka (%.2f%%), %d connects",
		n, during*rowsPerRecord, dups, 100*float64(dups)/float64(n), s.connects.Get())
	if s.connects.Get() < 2 {
		t.Errorf("the sink connected %d times, want a reconnect after the outage", s.connects.Get())
	}
}

const rowsPerRecord = 5

// appendUntil appends records of rowsPerRecord rows, numbered from 0, at
// about 2,000 rows a second until stop is closed.
func appendUntil(t *testing.T, w sink.Appender, stop chan struct{}, appended *atomic.Int64) {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		rec := sink.Record{Kind: sink.KindEvents, Site: []byte("example.com"), ReceivedAt: time.Now(), Events: rowsPerRecord}
		for j := range rowsPerRecord {
			n := i*rowsPerRecord + j
			rec.Rows = fmt.Appendf(rec.Rows, `{"event_id":%q,"site":"example.com","visitor_id":"v%d","schema_version":1}`+"\n", eventID(n), n%50)
		}
		if err := w.Append(context.Background(), &rec); err != nil {
			t.Error(err)
			return
		}
		appended.Add(1)
	}
}

func eventID(n int) string { return fmt.Sprintf("evt-%08d", n) }

func openSpool(t testing.TB, consumer string) (*spool.Spool, *spool.Reader) {
	t.Helper()
	sp, err := spool.Open(spool.Config{Dir: filepath.Join(t.TempDir(), "spool"), Consumers: []string{consumer},
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	r, err := sp.Reader(consumer)
	if err != nil {
		t.Fatal(err)
	}
	return sp, r
}

// TestWriteBatchBoundedDuringOutage: with the brokers cut off, WriteBatch
// gives up after ProduceTimeout with ErrNotConnected, Connect fails, and
// once they are back Connect and WriteBatch succeed.
func TestWriteBatchBoundedDuringOutage(t *testing.T) {
	c := newCluster(t)
	cfg := c.config()
	cfg.ProduceTimeout = 500 * time.Millisecond
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	batch := func(from int) *sink.Batch {
		rec := sink.Record{Site: []byte("example.com"), ReceivedAt: time.Now(), Events: 1}
		rec.Rows = fmt.Appendf(nil, `{"event_id":%q}`+"\n", eventID(from))
		return &sink.Batch{Records: []sink.Record{rec}}
	}
	c.gate.cut()
	start := time.Now()
	err = s.WriteBatch(t.Context(), batch(0))
	if took := time.Since(start); !errors.Is(err, sink.ErrNotConnected) || took > 3*cfg.ProduceTimeout {
		t.Errorf("WriteBatch during the outage = %v after %s, want ErrNotConnected after about %s", err, took, cfg.ProduceTimeout)
	}
	if err := s.WriteBatch(t.Context(), batch(1)); !errors.Is(err, sink.ErrNotConnected) {
		t.Errorf("WriteBatch after a lost connection = %v, want ErrNotConnected", err)
	}
	if err := s.Connect(t.Context()); err == nil {
		t.Error("Connect during the outage succeeded")
	}
	c.gate.restore()
	if err := s.Connect(t.Context()); err != nil {
		t.Fatalf("Connect after the outage: %v", err)
	}
	if err := s.WriteBatch(t.Context(), batch(2)); err != nil {
		t.Errorf("WriteBatch after the outage: %v", err)
	}
}
