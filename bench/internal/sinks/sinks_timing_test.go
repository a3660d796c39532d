package sinks

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/sink/kafkasink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// RowsPerRecord is the rows of one spool record: a batch of the tracker.
const RowsPerRecord = 20

var quiet = slog.New(slog.DiscardHandler)

func BenchmarkRelay(b *testing.B) {
	b.Run("noop", func(b *testing.B) {
		bench(b, func(b *testing.B, _ string) sink.Sink { return noop{} }, 1)
	})
	b.Run("files", func(b *testing.B) {
		bench(b, func(b *testing.B, dir string) sink.Sink {
			s, err := filesink.Open(filesink.Config{Dir: dir, Spooled: true, Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			return s
		}, 1)
	})
	kafka := func(b *testing.B, _ string) sink.Sink {
		c, err := kfake.NewCluster(kfake.NumBrokers(3), kfake.BlackholeProduce())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(c.Close)
		s, err := kafkasink.Open(kafkasink.Config{Brokers: c.ListenAddrs(), CreateTopics: true, Partitions: 6,
			ReplicationFactor: 3, Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	b.Run("kafka", func(b *testing.B) { bench(b, kafka, 1) })
	b.Run("kafka-inflight4", func(b *testing.B) { bench(b, kafka, 4) })
}

// bench fills a spool with b.N records, then times a relay draining them
// into the sink open returns and the sink's Close.
func bench(b *testing.B, open func(b *testing.B, dir string) sink.Sink, inFlight int) {
	dir := b.TempDir()
	sp, err := spool.Open(spool.Config{Dir: filepath.Join(dir, "spool"), Consumers: []string{"bench"},
		Logger: quiet, Metrics: metrics.NewSet()})
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	fill(b, spooled.NewWriter(sp), b.N)
	s := open(b, filepath.Join(dir, "out"))
	reader, err := sp.Reader("bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	relay, err := spooled.StartRelay(spooled.RelayConfig{Spool: sp, Reader: reader, Sink: s, Name: "bench",
		MaxInFlight: inFlight, Logger: quiet, Metrics: metrics.NewSet()})
	if err != nil {
		b.Fatal(err)
	}
	if err := relay.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	relay.Commit()
	if got := reader.Committed(); got != sp.Last() {
		b.Fatalf("cursor at %d after the drain, want %d", got, sp.Last())
	}
	b.ReportMetric(float64(b.N*RowsPerRecord)/elapsed.Seconds(), "events/s")
}

// fill appends n records from 16 goroutines, so that their fsyncs are
// grouped as under load.
func fill(b *testing.B, w sink.Appender, n int) {
	var wg sync.WaitGroup
	const writers = 16
	for g := range writers {
		wg.Go(func() {
			for i := g; i < n; i += writers {
				rec := record(i)
				if err := w.Append(context.Background(), &rec); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// record i is a request's worth of rows like the collector's.
func record(i int) sink.Record {
	site := []string{"example.com", "shop.example.org", "blog.example.net"}[i%3]
	at := time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond)
	rec := sink.Record{Kind: sink.KindEvents, Site: []byte(site), ReceivedAt: at, Events: RowsPerRecord}
	for j := range RowsPerRecord {
		rec.Rows = fmt.Appendf(rec.Rows, `{"event_id":"%08x-%04x","site":%q,"type":"pageview",`+
			`"received_at":%q,"visitor_id":"%016x","path":"/blog/post-%d","referrer_host":"news.example",`+
			`"channel":"referral","country":"FR","device":"desktop","browser":"Firefox","os":"Linux",`+
			`"viewport_w":1440,"tier":"T2","schema_version":1}`+"\n",
			i, j, site, at.Format(time.RFC3339Nano), uint64(i%997)*0x9e3779b97f4a7c15, j)
	}
	return rec
}

// noop stores nothing: the floor of the framework's own cost.
type noop struct{}

func (noop) Connect(context.Context) error                 { return nil }
func (noop) WriteBatch(context.Context, *sink.Batch) error { return nil }
func (noop) Close() error                                  { return nil }
