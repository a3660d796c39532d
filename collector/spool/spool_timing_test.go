package spool

import (
	"strconv"
	"testing"
)

// BenchmarkAppendParallel appends 1 KiB records from many goroutines and
// reports how many appends each fsync carried.
func BenchmarkAppendParallel(b *testing.B) {
	s, _ := openTest(b, b.TempDir(), func(c *Config) { c.SegmentBytes = 64 << 20; c.BudgetBytes = 1 << 40 })
	r, _ := s.Reader("files")
	rec := make([]byte, 1024)
	b.SetParallelism(32) // 32 appenders per CPU
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.AppendParts(b.Context(), rec[:16], rec[16:]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	appends, _ := strconv.ParseFloat(metric(s.cfg.Metrics, "crumbless_spool_appends_total"), 64)
	fsyncs, _ := strconv.ParseFloat(metric(s.cfg.Metrics, "crumbless_spool_fsyncs_total"), 64)
	b.ReportMetric(appends/fsyncs, "appends/fsync")
	r.Commit(s.Last())
}
