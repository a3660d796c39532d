// Package spool is the collector's durable spool: an append-only log of
// records on local disk, split into segments, between the ingest handler
// and the sinks. A record is acknowledged (Append returns) only once it is
// written and fsynced; concurrent appenders are gathered by one committer
// goroutine that writes all of their records and fsyncs once per group
// (group commit), so the cost of an fsync is shared by every request that
// waited for it.
//
// Records are numbered from 1 without gaps; a record's number is its
// position. On disk, each record is framed as
//
//	length (uint32, little endian) · CRC-32C of length and payload (uint32) · payload
//
// in segment files named by the position of their first record
// ("00000000000000000042.wal"), rotated once they reach Config.SegmentBytes.
// The CRC covers the record's position too (see recordCRC): segments are
// reused, so a file holds old records past the new ones, and none of them
// can pass for the record expected at its offset. Segments named .seg were
// written by earlier versions, whose CRCs leave the position out; they are
// read and deleted, never written or reused.
// Open recovers: it scans the last segment and truncates a torn tail (a
// short record or one whose CRC does not match, left by a crash in the
// middle of a write) and logs what it dropped. A torn record was never
// acknowledged, since Append returns only after the fsync that covers it.
//
// Each consumer (a sink) has a name and a durable cursor: the position of
// the last record it has made durable downstream, kept in "NAME.cursor",
// written atomically (temporary file, fsync, rename, fsync of the
// directory). A Reader returns the records after its cursor in order;
// Commit advances the cursor. A segment is deleted once every consumer's
// cursor is past its last record; one of them is kept as the free segment
// and renamed to be the next segment, whose group commits then write over
// blocks the file already has (fdatasync without a journal commit).
//
// The spool has a disk budget: the bytes of its segments and of the free
// segment plus the records waiting to be written (the old bytes of a reused
// segment not yet written over, less than one segment, are not counted). An Append that would exceed it fails at once with
// ErrFull, without blocking; the budget frees as consumers advance and whole
// segments are deleted.
//
// A write or fsync error is sticky: after one, every Append fails (the
// state of the file after a failed fsync is unknown), until the collector
// is restarted and recovery has truncated what was half written.
//
// It must not import collector or any collector/<x> package.
package spool

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/VictoriaMetrics/metrics"
)

// Defaults for the zero values of Config.
const (
	DefaultBudgetBytes    = 1 << 30
	DefaultSegmentBytes   = 64 << 20
	DefaultMaxRecordBytes = 16 << 20
)

// groupBytes is the initial size of the two group buffers (one filling,
// one being written); a group larger than groupBytes grows them, and
// buffers over maxKeptGroupBytes are not kept.
const (
	groupBytes        = 1 << 20
	maxKeptGroupBytes = 4 << 20
)

// Config configures a Spool. The zero value of every field but Dir and
// Consumers means its default.
type Config struct {
	// Dir holds the segments and the cursors; it is created if missing.
	Dir string
	// Consumers names every consumer; each has a cursor, and a segment is
	// deleted only once all of them are past it. A consumer named here
	// for the first time starts at the oldest record kept. Cursor files
	// of names not listed are ignored.
	Consumers []string
	// BudgetBytes is the most bytes the spool keeps: segments on disk and
	// records waiting to be written. Default 1 GiB. It must hold at least
	// four segments.
	BudgetBytes int64
	// SegmentBytes is the size at which the segment being written is
	// closed and a new one started. Default 64 MiB.
	SegmentBytes int64
	// MaxRecordBytes is the largest record; a longer length read back
	// marks a torn record. Default 16 MiB.
	MaxRecordBytes int
	// FirstPos is the position of the first record of a new spool (one
	// with no segment yet); default 1. A caller that has published
	// positions elsewhere continues after them, so that positions never
	// repeat even if the spool directory is lost.
	FirstPos uint64
	// Logger receives what recovery dropped and errors; nil means
	// slog.Default().
	Logger *slog.Logger
	// Metrics receives the spool's metrics; nil means a private set.
	Metrics *metrics.Set
}

// Errors Append returns.
var (
	// ErrFull: the disk budget is spent; try again once consumers have
	// caught up.
	ErrFull = errors.New("spool full")
	// ErrClosed: the spool is closed.
	ErrClosed = errors.New("spool closed")
	// ErrTooLarge: the record is over Config.MaxRecordBytes.
	ErrTooLarge = errors.New("record too large for the spool")
)

func (c Config) withDefaults() Config {
	if c.BudgetBytes <= 0 {
		c.BudgetBytes = DefaultBudgetBytes
	}
	if c.SegmentBytes <= 0 {
		c.SegmentBytes = DefaultSegmentBytes
	}
	if c.MaxRecordBytes <= 0 {
		c.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if c.FirstPos == 0 {
		c.FirstPos = 1
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.NewSet()
	}
	return c
}

func (c Config) check() error {
	switch {
	case c.Dir == "":
		return errors.New("no directory given")
	case len(c.Consumers) == 0:
		return errors.New("no consumer named")
	case c.SegmentBytes*4 > c.BudgetBytes:
		return fmt.Errorf("the budget (%d bytes) holds fewer than four segments of %d bytes", c.BudgetBytes, c.SegmentBytes)
	}
	seen := map[string]bool{}
	for _, name := range c.Consumers {
		if !validName(name) {
			return fmt.Errorf("consumer name %q: use letters, digits, - and _", name)
		}
		if seen[name] {
			return fmt.Errorf("consumer %q named twice", name)
		}
		seen[name] = true
	}
	return nil
}

func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Spool is an open spool. Append is safe for concurrent use; each Reader
// is used by one goroutine at a time.
type Spool struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	segs      []segment // by position; the last is being written
	active    *os.File  // the last segment, open for writing
	activeFD  int       // its descriptor, for fdatasync
	next      uint64    // position of the next record to be committed
	pending   []byte    // framed records waiting for the committer
	waiters   []*waiter // their appenders, in order
	spare     []byte
	spareW    []*waiter
	writing   int64 // bytes of the group being written
	writingN  int   // records of the group being written
	free      bool  // a free segment is kept for reuse (see newSegment)
	freeBytes int64 // its size, counted in live
	live      int64 // bytes of the segments on disk and of the free one
	full      bool  // an Append failed with ErrFull and nothing was freed since
	err       error // sticky write error
	closed    bool
	kick      chan struct{}
	done      chan struct{}
	readers   map[string]*Reader
	counters  counters
}

// Open opens the spool in cfg.Dir, creating it if needed, and recovers it:
// a torn tail of the last segment is truncated and logged.
func Open(cfg Config) (*Spool, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("opening spool: %w", err)
	}
	s := &Spool{cfg: cfg, log: cfg.Logger, kick: make(chan struct{}, 1),
		done: make(chan struct{}), readers: map[string]*Reader{},
		// Sized for a large group, so that a warm spool never grows them.
		pending: make([]byte, 0, groupBytes), spare: make([]byte, 0, groupBytes),
		waiters: make([]*waiter, 0, 256), spareW: make([]*waiter, 0, 256)}
	if err := s.recover(); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("opening spool in %q: %w", cfg.Dir, err)
	}
	for _, name := range cfg.Consumers {
		r, err := s.openReader(name)
		if err != nil {
			s.closeFiles()
			return nil, fmt.Errorf("opening spool in %q: %w", cfg.Dir, err)
		}
		s.readers[name] = r
	}
	s.counters.register(s, cfg.Metrics)
	go s.commitLoop()
	return s, nil
}

// Reader returns the reader of the consumer name, one of Config.Consumers.
func (s *Spool) Reader(name string) (*Reader, error) {
	r, ok := s.readers[name]
	if !ok {
		return nil, fmt.Errorf("spool has no consumer %q", name)
	}
	return r, nil
}

// Last returns the position of the last committed record (0 if none ever
// was).
func (s *Spool) Last() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next - 1
}

// Full reports whether an Append failed with ErrFull and no space has been
// freed since.
func (s *Spool) Full() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.full
}

// Err returns the sticky write error, if any.
func (s *Spool) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops accepting records, waits for the records already accepted
// to be committed, wakes readers (Next returns ErrClosed once they have
// read everything) and closes the files. It is idempotent.
func (s *Spool) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.done
		return nil
	}
	s.closed = true
	close(s.kick)
	s.mu.Unlock()
	<-s.done
	s.mu.Lock()
	s.wakeReadersLocked()
	s.mu.Unlock()
	return errors.Join(s.trimActive(), s.closeFiles())
}

// trimActive cuts a reused active segment down to its records on a clean
// close, so that the next start finds no old bytes after them (and logs
// no torn record).
func (s *Spool) trimActive() error {
	if s.active == nil || s.Err() != nil {
		return nil
	}
	size := s.segs[len(s.segs)-1].size
	fi, err := s.active.Stat()
	if err != nil || fi.Size() <= size {
		return err
	}
	if err := s.active.Truncate(size); err != nil {
		return fmt.Errorf("trimming the reused segment: %w", err)
	}
	return s.active.Sync()
}

func (s *Spool) closeFiles() error {
	var errs []error
	if s.active != nil {
		errs = append(errs, s.active.Close())
	}
	for _, r := range s.readers {
		errs = append(errs, r.closeFile())
	}
	return errors.Join(errs...)
}
