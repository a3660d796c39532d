package kafkasink

import (
	"fmt"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
)

// BenchmarkBuild measures turning a batch of 64 requests of 20 rows into
// Kafka records: the copy, the scan for the key and the headers.
func BenchmarkBuild(b *testing.B) {
	s, err := Open(Config{Brokers: []string{"127.0.0.1:1"}})
	if err != nil {
		b.Fatal(err)
	}
	batch := &sink.Batch{}
	for i := range 64 {
		rec := sink.Record{Site: []byte("example.com"), ReceivedAt: time.Now(), Events: 20}
		for j := range 20 {
			rec.Rows = fmt.Appendf(rec.Rows, `{"event_id":"%08x-%04x","site":"example.com","type":"pageview",`+
				`"received_at":"2026-11-23T22:40:00.123Z","visitor_id":"%016x","path":"/blog/post-%d",`+
				`"props":{"plan":"pro"},"viewport_w":1440,"schema_version":1}`+"\n", i, j, i*7919, j)
		}
		batch.Records = append(batch.Records, rec)
	}
	b.SetBytes(int64(batch.Bytes()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.build(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch.Events()), "ns/row")
}
