package ingest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// BenchmarkHandleGzip20Spooled is BenchmarkHandleGzip20 into the real
// spool: every batch is fsynced before its 202, groups shared by the
// concurrent requests. It reports the batches each fsync carried.
func BenchmarkHandleGzip20Spooled(b *testing.B) {
	set := metrics.NewSet()
	sp, err := spool.Open(spool.Config{Dir: b.TempDir(), Consumers: []string{"files"}, BudgetBytes: 1 << 40, Metrics: set})
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	body := gzipped(b, batchJSON("example.com", 20))
	e := newEnv(b, func(c *Config) { c.Sink = spooled.NewWriter(sp) })
	b.SetParallelism(32) // many connections per core, as under load
	benchmarkHandle(b, e, body)
	appends, fsyncs := value(set, "crumbless_spool_appends_total"), value(set, "crumbless_spool_fsyncs_total")
	b.ReportMetric(appends/fsyncs, "batches/fsync")
}

func value(set *metrics.Set, name string) float64 {
	var sb strings.Builder
	set.WritePrometheus(&sb)
	for line := range strings.Lines(sb.String()) {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v
		}
	}
	return 0
}
