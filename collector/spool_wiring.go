package collector

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// filesConsumer is the file sink's name in the spool (its cursor file is
// files.cursor) and in the crumbless_sink_* metrics.
const filesConsumer = "files"

// openSpool opens the spool and starts the relay that feeds the file sink
// from it. The sink is open: a new spool numbers its records after the
// highest position the files already hold, so positions never repeat, and
// the sink forgets the ranges at or below the cursor, never replayed.
func (s *Server) openSpool() error {
	var err error
	s.spool, err = spool.Open(spool.Config{
		Dir:          s.cfg.Spool.Dir,
		Consumers:    []string{filesConsumer},
		BudgetBytes:  s.cfg.Spool.BudgetBytes,
		SegmentBytes: s.cfg.Spool.SegmentBytes,
		FirstPos:     s.sink.MaxPublished() + 1,
		Logger:       s.log,
		Metrics:      s.metrics,
	})
	if err != nil {
		return err
	}
	r, err := s.spool.Reader(filesConsumer)
	if err != nil {
		return err
	}
	s.sink.Committed(r.Committed())
	s.relay, err = spooled.StartRelay(spooled.RelayConfig{
		Spool: s.spool, Reader: r, Sink: s.sink, Name: filesConsumer,
		Logger: s.log, Metrics: s.metrics,
	})
	return err
}

// drainSpool hands the file sink every batch acknowledged so far; call it
// once no request is in flight. What ctx leaves undrained is replayed at
// the next start.
func (s *Server) drainSpool(ctx context.Context) error {
	if s.relay == nil {
		return nil
	}
	return s.relay.Drain(ctx)
}

// closeSinkAndSpool stops the relay, completes the files, moves the
// spool's cursor past them and closes the spool.
func (s *Server) closeSinkAndSpool() []error {
	var errs []error
	if s.relay != nil {
		s.relay.Stop()
	}
	if s.sink != nil {
		errs = append(errs, s.sink.Close())
	}
	if s.relay != nil {
		s.relay.Commit()
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
