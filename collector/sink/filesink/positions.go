package filesink

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/layout"
)

// positions is what a spooled Sink knows of spool positions.
type positions struct {
	published  map[partKey][]posRange // complete files' ranges, by site and hour
	completing map[*partition]struct{}
	last       uint64 // the highest position written or skipped
	lostLo     uint64 // the lowest first position of a file that was lost; 0 if none
	maxPub     uint64 // the highest position published, ever
}

// posRange is the range of positions of one complete file of site.
type posRange struct {
	site   string
	lo, hi uint64
}

// loadPublished indexes the ranges in the names of complete files, and
// removes the temporary files a crash left: their batches are above the
// spool's cursor and will be replayed.
func (s *Sink) loadPublished() error {
	s.published = map[partKey][]posRange{}
	s.completing = map[*partition]struct{}{}
	removed := 0
	err := filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if isTmpName(d.Name()) {
			removed++
			return os.Remove(path)
		}
		lo, hi, ok := parsePositions(d.Name())
		if !ok {
			return nil
		}
		site, hour, ok := partitionOf(s.root, filepath.Dir(path))
		if !ok {
			return nil
		}
		key := partKey{xxhash.Sum64String(site), hour}
		s.published[key] = append(s.published[key], posRange{site, lo, hi})
		s.maxPub = max(s.maxPub, hi)
		return nil
	})
	if err != nil {
		return fmt.Errorf("indexing published files: %w", err)
	}
	if removed > 0 {
		s.log.Info("removed temporary files left by an earlier run; their rows are replayed from the spool", "files", removed)
	}
	return nil
}

// partitionOf parses root/site=SITE/date=YYYY-MM-DD/hour=HH.
func partitionOf(root, dir string) (site string, hour int64, ok bool) {
	rel, err := filepath.Rel(root, dir)
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if err != nil || len(parts) != 3 {
		return "", 0, false
	}
	site, ok1 := strings.CutPrefix(parts[0], "site=")
	date, ok2 := strings.CutPrefix(parts[1], "date=")
	hh, ok3 := strings.CutPrefix(parts[2], "hour=")
	t, err := time.Parse("2006-01-02 15", date+" "+hh)
	if !ok1 || !ok2 || !ok3 || err != nil {
		return "", 0, false
	}
	return site, layout.HourOf(t), true
}

// publishedLocked reports whether a batch of site at pos is in a complete
// file already.
func (s *Sink) publishedLocked(key partKey, site []byte, pos uint64) bool {
	for _, r := range s.published[key] {
		if r.lo <= pos && pos <= r.hi && r.site == string(site) {
			return true
		}
	}
	return false
}

func (s *Sink) completingLocked(p *partition) {
	if p.lo > 0 && s.completing != nil {
		s.completing[p] = struct{}{}
	}
}

func (s *Sink) lostLocked(p *partition) {
	if p.lo > 0 && s.completing != nil {
		s.lostLo = min(cmpOrMax(s.lostLo), p.lo)
	}
}

// cmpOrMax returns v, or the largest position when v is 0 (none).
func cmpOrMax(v uint64) uint64 {
	if v == 0 {
		return ^uint64(0)
	}
	return v
}

// completed records the outcome of completing p: its range is published,
// or its batches are lost.
func (s *Sink) completed(p *partition, ok bool) {
	if p.lo == 0 || s.completing == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.completing, p)
	if !ok {
		s.lostLocked(p)
		return
	}
	key := partKey{xxhash.Sum64String(p.site), p.hour}
	s.published[key] = append(s.published[key], posRange{p.site, p.lo, p.hi})
	s.maxPub = max(s.maxPub, p.hi)
}

// Durable returns the highest position p such that every batch written at
// or below p is in a complete file (or was skipped as already in one),
// and whether a batch was lost since (a file could not be completed, or
// was abandoned after a write error): the caller must then Reset. With
// no file open or being completed, every batch written is durable, and p
// is the largest position: the caller bounds it by what it handed, which
// may be past the last batch written when it passes records over.
func (s *Sink) Durable() (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := uint64(math.MaxUint64)
	for _, p := range s.parts {
		if p.lo > 0 {
			d = min(d, p.lo-1)
		}
	}
	for p := range s.completing {
		d = min(d, p.lo-1)
	}
	if s.lostLo > 0 {
		d = min(d, s.lostLo-1)
	}
	return d, s.lostLo > 0
}

// Reset drops the open files, whose batches are not durable (their
// temporary files are removed), waits for the files being completed, and
// forgets the positions after cursor, so that the caller can hand the
// batches after cursor again: those already in complete files are skipped.
func (s *Sink) Reset(cursor uint64) error {
	s.mu.Lock()
	for key, p := range s.parts {
		delete(s.parts, key)
		s.open.Add(-1)
		p.abandon()
		if err := os.Remove(p.tmpPath()); err != nil {
			s.log.Warn("removing a dropped file", "file", p.tmpPath(), "err", err)
		}
	}
	s.mu.Unlock()
	s.rolling.Wait()
	s.mu.Lock()
	s.lostLo, s.last = 0, cursor
	s.mu.Unlock()
	return nil
}

// Committed tells the sink that the spool's cursor is at cursor: no batch
// at or below it will come again, so their ranges are forgotten.
func (s *Sink) Committed(cursor uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, rs := range s.published {
		kept := rs[:0]
		for _, r := range rs {
			if r.hi > cursor {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 {
			delete(s.published, key)
		} else {
			s.published[key] = kept
		}
	}
}

// Published reports whether rec, from the spool, is in a complete file
// already: Append would skip it.
func (s *Sink) Published(rec *sink.Record) bool {
	if rec.Pos == 0 || !s.cfg.Spooled {
		return false
	}
	key := partKey{xxhash.Sum64(rec.Site), bucketOf(rec.ReceivedAt, s.cfg.Daily)}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publishedLocked(key, rec.Site, rec.Pos)
}

// MaxPublished returns the highest spool position in a complete file: a
// new spool must number its records after it.
func (s *Sink) MaxPublished() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxPub
}
