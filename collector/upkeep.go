package collector

import (
	"context"
	"time"

	"github.com/crumbless/crumbless/collector/erasure"
	"github.com/crumbless/crumbless/collector/retention"
)

// How often the serve process does its chores; both also run at start.
const (
	// erasureInterval is how often pending erasure requests are applied.
	erasureInterval = time.Minute
	// retentionInterval is how often expired partitions are deleted.
	retentionInterval = 24 * time.Hour
)

// erasureHold is how long an erasure request stays pending, applied again
// at every pass: rows the sink was still writing when it came are erased
// once their partition is complete, at the end of its hour and a roll
// interval later.
func (s *Server) erasureHold() time.Duration {
	return time.Hour + 3*s.cfg.Files.RollInterval
}

func (s *Server) erasureConfig() erasure.Config {
	return erasure.Config{Dir: s.cfg.DataDir, Now: s.cfg.Now, Logger: s.log, Metrics: s.metrics}
}

func (s *Server) retentionJob() (*retention.Job, error) {
	sites, def := s.cfg.RetentionDays()
	return retention.New(retention.Config{Dir: s.cfg.DataDir, Days: def, Sites: sites,
		Now: s.cfg.Now, Logger: s.log, Metrics: s.metrics})
}

// startUpkeep runs retention and pending erasures now and then on their
// intervals, until release stops it.
func (s *Server) startUpkeep(job *retention.Job) {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopUpkeep, s.upkeepDone = cancel, make(chan struct{})
	s.metrics.NewGauge("crumbless_erasure_requests_pending", func() float64 {
		return float64(erasure.Pending(s.cfg.DataDir))
	})
	go func() {
		defer close(s.upkeepDone)
		s.runRetention(job)
		s.applyErasures()
		erase, retain := time.NewTicker(erasureInterval), time.NewTicker(retentionInterval)
		defer erase.Stop()
		defer retain.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-erase.C:
				s.applyErasures()
			case <-retain.C:
				s.runRetention(job)
			}
		}
	}()
}

func (s *Server) runRetention(job *retention.Job) {
	if _, err := job.Run(); err != nil {
		s.log.Error("retention: deleting expired partitions", "err", err)
	}
}

// applyErasures applies the pending erasure requests (collector/erasure):
// only complete files are rewritten, never one the sink has open.
func (s *Server) applyErasures() {
	if _, err := erasure.ApplyPending(s.erasureConfig(), s.erasureHold()); err != nil {
		s.log.Error("applying erasure requests", "err", err)
	}
}
