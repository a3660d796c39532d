package ingest

import (
	"testing"

	"github.com/crumbless/crumbless/collector/sink/filesink"
)

// BenchmarkHandleGzip20 measures the ingest hot path for a 20-event gzip
// batch, from body to sink, with a sink that keeps nothing.
func BenchmarkHandleGzip20(b *testing.B) {
	body := gzipped(b, batchJSON("example.com", 20))
	e := newEnv(b, func(c *Config) { c.Sink = &discardSink{} })
	benchmarkHandle(b, e, body)
}

// BenchmarkHandleGzip20FileSink is the same into the real file sink.
func BenchmarkHandleGzip20FileSink(b *testing.B) {
	body := gzipped(b, batchJSON("example.com", 20))
	fs, err := filesink.Open(filesink.Config{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer fs.Close()
	e := newEnv(b, func(c *Config) { c.Sink = fs })
	benchmarkHandle(b, e, body)
}

func benchmarkHandle(b *testing.B, e *env, body []byte) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := newRequestCtx(body)
		for pb.Next() {
			ctx.Response.Reset()
			e.h.Handle(ctx)
			if ctx.Response.StatusCode() != 202 {
				b.Errorf("status %d", ctx.Response.StatusCode())
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*20)/b.Elapsed().Seconds(), "events/s")
}
