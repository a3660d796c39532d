package spool

import (
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// counters are the spool's metrics:
//
//	crumbless_spool_appends_total        records committed
//	crumbless_spool_fsyncs_total         groups committed (one fsync each)
//	crumbless_spool_group_records        records per group (histogram)
//	crumbless_spool_write_seconds        writing and fsyncing a group (histogram)
//	crumbless_spool_write_errors_total   groups that failed (the error is sticky)
//	crumbless_spool_full_total           appends refused: budget spent
//	crumbless_spool_segments_deleted_total
//	crumbless_spool_segments_reused_total  segments started in the free one
//	crumbless_spool_bytes                bytes kept (segments and pending records)
//	crumbless_spool_budget_bytes
//	crumbless_spool_records              records some consumer has not committed
//
// Each consumer's own lag is its relay's (collector/sink/spooled).
type counters struct {
	appends, fsyncs, writeErrors, full, deleted, reused *metrics.Counter
	groups, writes                                      *metrics.Histogram
}

func (c *counters) register(s *Spool, set *metrics.Set) {
	c.appends = set.NewCounter("crumbless_spool_appends_total")
	c.fsyncs = set.NewCounter("crumbless_spool_fsyncs_total")
	c.writeErrors = set.NewCounter("crumbless_spool_write_errors_total")
	c.full = set.NewCounter("crumbless_spool_full_total")
	c.deleted = set.NewCounter("crumbless_spool_segments_deleted_total")
	c.reused = set.NewCounter("crumbless_spool_segments_reused_total")
	c.groups = set.NewHistogram("crumbless_spool_group_records")
	c.writes = set.NewHistogram("crumbless_spool_write_seconds")
	set.NewGauge("crumbless_spool_bytes", func() float64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return float64(s.live + s.writing + int64(len(s.pending)))
	})
	set.NewGauge("crumbless_spool_budget_bytes", func() float64 { return float64(s.cfg.BudgetBytes) })
	set.NewGauge("crumbless_spool_records", func() float64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return float64(s.next - 1 - s.floorLocked())
	})
}

// group counts a committed (or failed) group of n records that took took
// to write and fsync.
func (c *counters) group(n int, took time.Duration, err error) {
	if c.appends == nil { // before register: only during Open
		return
	}
	if err != nil {
		c.writeErrors.Inc()
		return
	}
	c.appends.Add(n)
	c.fsyncs.Inc()
	c.groups.Update(float64(n))
	c.writes.Update(took.Seconds())
}
