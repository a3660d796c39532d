package collector

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/crumbless/crumbless/collector/dedupe"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// filesConsumer is the name of the files' relay in the spool (its cursor
// file is files.cursor) and in the crumbless_sink_* metrics. The event
// files, the consent records and the raw heatmap rows share it, through a
// spooled.Router: the spool is read once for the three.
const filesConsumer = "files"

// openSpool opens the spool and starts the relays that feed the file sink
// and the other outputs from it. The file sink is open: a new spool numbers
// its records after the highest position the files already hold, so
// positions never repeat, and the sink forgets the ranges at or below the
// cursor, never replayed.
func (s *Server) openSpool() error {
	consumers := []string{filesConsumer}
	for _, o := range s.outputs {
		consumers = append(consumers, o.name)
	}
	var err error
	s.spool, err = spool.Open(spool.Config{
		Dir:          s.cfg.Spool.Dir,
		Consumers:    consumers,
		BudgetBytes:  s.cfg.Spool.BudgetBytes,
		SegmentBytes: s.cfg.Spool.SegmentBytes,
		FirstPos:     max(s.sink.MaxPublished(), s.records.MaxPublished(), s.heatmaps.MaxPublished()) + 1,
		Logger:       s.log,
		Metrics:      s.metrics,
	})
	if err != nil {
		return err
	}
	s.seedSeen()
	files := spooled.NewRouter(map[sink.Kind]sink.Positioned{
		sink.KindEvents: s.sink, sink.KindConsent: s.records, sink.KindHeatmap: s.heatmaps})
	r, err := s.spool.Reader(filesConsumer)
	if err != nil {
		return err
	}
	files.Committed(r.Committed())
	s.relay, err = spooled.StartRelay(spooled.RelayConfig{
		Spool: s.spool, Reader: r, Sink: files, Name: filesConsumer,
		MaxRecords: s.cfg.Files.Batching.MaxRecords, MaxBytes: s.cfg.Files.Batching.MaxBytes,
		MaxWait: s.cfg.Files.Batching.MaxWait,
		Logger:  s.log, Metrics: s.metrics,
	})
	if err != nil {
		return err
	}
	for _, o := range s.outputs {
		cfg := o.relayConfig(s)
		cfg.Spool = s.spool
		if cfg.Reader, err = s.spool.Reader(o.name); err != nil {
			return err
		}
		if o.relay, err = spooled.StartRelay(cfg); err != nil {
			return err
		}
	}
	return nil
}

// relays returns the running relays: the files' and the outputs'.
func (s *Server) relays() []*spooled.Relay {
	var rs []*spooled.Relay
	if s.relay != nil {
		rs = append(rs, s.relay)
	}
	for _, o := range s.outputs {
		if o.relay != nil {
			rs = append(rs, o.relay)
		}
	}
	return rs
}

// drainSpool hands every sink every record acknowledged so far, the sinks
// side by side; call it once no request is in flight. What ctx leaves
// undrained is replayed at the next start.
func (s *Server) drainSpool(ctx context.Context) error {
	rs := s.relays()
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() { errs[i] = r.Drain(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// closeSinkAndSpool stops the relays, completes the files, closes the
// outputs, moves the spool's cursors past what they stored and closes the
// spool.
func (s *Server) closeSinkAndSpool() []error {
	var errs []error
	for _, r := range s.relays() {
		r.Stop()
	}
	if s.sink != nil {
		errs = append(errs, s.sink.Close())
	}
	if s.records != nil {
		errs = append(errs, s.records.Close())
	}
	if s.heatmaps != nil {
		errs = append(errs, s.heatmaps.Close())
	}
	for _, o := range s.outputs {
		if err := o.sink.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing sink %s: %w", o.name, err))
		}
	}
	for _, r := range s.relays() {
		r.Commit()
	}
	if s.spool != nil {
		if err := s.spool.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing spool: %w", err))
		}
	}
	return errs
}

// spoolFull reports whether the spool's disk budget is spent.
func (s *Server) spoolFull() bool { return s.spool != nil && s.spool.Full() }

// SpoolConfig configures the durable spool between ingest and the sinks:
// a batch is acknowledged once it is in the spool, on disk.
type SpoolConfig struct {
	// Dir holds the spool's segments and cursors. Default DATA/spool.
	Dir string `yaml:"dir"`
	// BudgetBytes is the most disk the spool takes; when it is spent,
	// batches are answered 503 spool_full with Retry-After until the
	// sinks catch up. Default 1 GiB; at least four segments.
	BudgetBytes int64 `yaml:"budget_bytes"`
	// SegmentBytes is the size of one segment file; whole segments are
	// deleted once every sink is past them. Default 64 MiB.
	SegmentBytes int64 `yaml:"segment_bytes"`
}

// spoolDefaults fills the zero fields of c.
func spoolDefaults(c SpoolConfig, dataDir string) SpoolConfig {
	c.Dir = or(c.Dir, filepath.Join(dataDir, "spool"))
	c.BudgetBytes = or(c.BudgetBytes, spool.DefaultBudgetBytes)
	c.SegmentBytes = or(c.SegmentBytes, spool.DefaultSegmentBytes)
	return c
}

// minSegmentBytes keeps segments large enough to hold a batch or two.
const minSegmentBytes = 1 << 20

func validateSpool(ps *problems, c SpoolConfig, eff SpoolConfig) {
	if c.BudgetBytes < 0 {
		ps.add("spool.budget_bytes", "%d is negative; leave it out for the default of 1 GiB", c.BudgetBytes)
	}
	if c.SegmentBytes < 0 {
		ps.add("spool.segment_bytes", "%d is negative; leave it out for the default of 64 MiB", c.SegmentBytes)
	} else if c.SegmentBytes > 0 && c.SegmentBytes < minSegmentBytes {
		ps.add("spool.segment_bytes", "%d is too small; write at least 1048576 (1 MiB)", c.SegmentBytes)
	}
	if c.BudgetBytes >= 0 && c.SegmentBytes >= 0 && eff.BudgetBytes < 4*eff.SegmentBytes {
		ps.add("spool.budget_bytes", "%d holds fewer than four segments of %d bytes; raise it or lower spool.segment_bytes", eff.BudgetBytes, eff.SegmentBytes)
	}
}

// seedSeen puts the event ids of every record still in the spool and
// received within the seen-set's window into the set, before any relay
// moves on (older ones would only push out what it must remember): a batch written just before a crash
// or a stop, whose answer never reached the page, is dropped as a
// duplicate when the page sends it again, not written twice. What is not
// in the spool any more is older than a retry; a spool that cannot be read
// back is logged and leaves the set as it is.
func (s *Server) seedSeen() {
	start, ids := time.Now(), 0
	var buf []byte
	err := s.spool.Scan(context.Background(), func(rec spool.Record) error {
		var err error
		buf, err = spooled.IDs(rec, start.Add(-s.seen.Window()), buf, func(site, id []byte) {
			if k := dedupe.Key(site, id); s.seen.Mark(k, start) == dedupe.Fresh {
				s.seen.Commit(k)
				ids++
			}
		})
		return err
	})
	if err != nil {
		s.log.Error("seen-set: reading the spool's event ids failed; a retried batch may land twice", "err", err)
	}
	if ids > 0 {
		s.log.Info("seen-set seeded from the spool", "event_ids", ids, "took", time.Since(start).Round(time.Millisecond))
	}
}
