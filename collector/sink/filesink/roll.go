package filesink

import (
	"errors"
	"fmt"
	"time"
)

// detachLocked removes p from the open partitions; the caller completes it
// outside the lock, so that fsync and rename never hold up other writers.
func (s *Sink) detachLocked(key partKey, p *partition) *partition {
	delete(s.parts, key)
	s.open.Add(-1)
	s.rolling.Add(1)
	s.completingLocked(p)
	return p
}

// abandonLocked drops p after a write failure: its temporary file stays
// for recovery and its encoder, in an unknown state, is not reused.
func (s *Sink) abandonLocked(key partKey, p *partition) {
	delete(s.parts, key)
	s.open.Add(-1)
	p.abandon()
	s.lostLocked(p)
	s.log.Error("abandoned a file after a write error; its rows stay in the temporary file",
		"file", p.tmpPath())
}

// complete publishes a detached partition, lists it in its manifest and
// recycles its encoder.
func (s *Sink) complete(p *partition) error {
	defer s.rolling.Done()
	files, late, err := p.publish(s.cfg.Format)
	s.bytesWritten.Add(int(p.disk.n))
	s.completed(p, err == nil)
	if err != nil {
		s.writeErrors.Inc()
		s.log.Error("completing a file failed; its rows stay in the temporary file",
			"file", p.tmpPath(), "err", err)
		return fmt.Errorf("completing partition: %w", err)
	}
	if late != nil {
		s.writeErrors.Inc()
		s.log.Error("publishing a file's Parquet twin failed; the next start publishes it", "err", late)
	}
	s.filesRolled.Inc()
	for _, f := range files {
		if f.format == FormatParquet {
			s.bytesWritten.Add(int(f.stats.Bytes))
		}
	}
	s.listPublished(p, files)
	s.mu.Lock()
	s.encoders = append(s.encoders, p.enc)
	s.mu.Unlock()
	return nil
}

// Flush writes buffered rows to the temporary files and completes every
// file that is due: older than the roll interval, past its hour, or full.
// The flush loop calls it every flush interval.
func (s *Sink) Flush() error {
	now := s.cfg.Now()
	var due []*partition
	var errs []error
	s.mu.Lock()
	for key, p := range s.parts {
		if p.due(now, s.cfg.RollInterval, s.cfg.MaxFileBytes) {
			due = append(due, s.detachLocked(key, p))
		} else if err := p.flush(); err != nil {
			s.writeErrors.Inc()
			s.abandonLocked(key, p)
			errs = append(errs, err)
		}
	}
	s.mu.Unlock()
	for _, p := range due {
		errs = append(errs, s.complete(p))
	}
	s.completeManifests(now, false)
	return errors.Join(errs...)
}

func (s *Sink) loop() {
	defer close(s.loopDone)
	t := time.NewTicker(s.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if err := s.Flush(); err != nil {
				s.log.Error("flushing files", "err", err)
			}
		}
	}
}

// Close stops the flush loop and completes every open file. It is
// idempotent: later calls return the first call's result.
func (s *Sink) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.loopDone
		var open []*partition
		s.mu.Lock()
		s.closed = true
		for key, p := range s.parts {
			open = append(open, s.detachLocked(key, p))
		}
		s.mu.Unlock()
		var errs []error
		for _, p := range open {
			errs = append(errs, s.complete(p))
		}
		s.rolling.Wait()
		s.completeManifests(s.cfg.Now(), true)
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("closing file sink: %w", err)
		}
	})
	return s.closeErr
}
