package spooled

import (
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// relayMetrics are a relay's crumbless_sink_*{sink="NAME"} metrics.
type relayMetrics struct {
	batches, records, events, errs, retries, resets, bad, connects *metrics.Counter
	writeSeconds                                                   *metrics.Histogram
}

func (m *relayMetrics) register(r *Relay, set *metrics.Set) {
	label := `{sink="` + r.cfg.Name + `"}`
	m.batches = set.NewCounter("crumbless_sink_batches_total" + label)
	m.records = set.NewCounter("crumbless_sink_records_total" + label)
	m.events = set.NewCounter("crumbless_sink_events_total" + label)
	m.errs = set.NewCounter("crumbless_sink_errors_total" + label)
	m.retries = set.NewCounter("crumbless_sink_retries_total" + label)
	m.resets = set.NewCounter("crumbless_sink_resets_total" + label)
	m.bad = set.NewCounter("crumbless_sink_bad_records_total" + label)
	m.connects = set.NewCounter("crumbless_sink_connects_total" + label)
	m.writeSeconds = set.NewHistogram("crumbless_sink_write_seconds" + label)
	set.NewGauge("crumbless_sink_lag_records"+label, func() float64 {
		return float64(r.cfg.Spool.Last() - r.cfg.Reader.Committed())
	})
	set.NewGauge("crumbless_sink_lag_seconds"+label, func() float64 {
		if t := r.flight.oldest(); !t.IsZero() {
			return time.Since(t).Seconds()
		}
		return 0
	})
	set.NewGauge("crumbless_sink_in_flight"+label, func() float64 { return float64(r.flight.running()) })
	set.NewGauge("crumbless_sink_connected"+label, func() float64 {
		if r.connected.Load() {
			return 1
		}
		return 0
	})
}

func (m *relayMetrics) wrote(b *pending, took time.Duration) {
	m.batches.Inc()
	m.records.Add(len(b.batch.Records))
	m.events.Add(b.batch.Events())
	m.writeSeconds.Update(took.Seconds())
}
