package spool

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/crumbless/crumbless/internal/durable"
)

// Record is one record read back.
type Record struct {
	// Pos is the record's position.
	Pos uint64
	// Data is the record; valid until the next call to Next.
	Data []byte
}

// Reader reads one consumer's records in order and keeps its cursor. Next
// is called from one goroutine at a time; Commit, Pos and Committed may be
// called from another.
type Reader struct {
	s         *Spool
	name      string
	committed atomic.Uint64 // the cursor: every record up to it is done
	pos       atomic.Uint64 // the last record Next returned
	wake      chan struct{} // a token when records were committed

	f   *os.File // the segment being read
	br  *bufio.Reader
	seg uint64 // its base
	end uint64 // the base of the next segment, 0 while it is the last
	at  uint64 // the position of the next record in f
	old bool   // f is a legacy segment
	buf []byte
	cmu sync.Mutex     // serialises cursor writes
	src untilCommitted // f, under br
}

func (s *Spool) cursorPath(name string) string {
	return filepath.Join(s.cfg.Dir, name+".cursor")
}

// openReader loads a consumer's cursor; a new consumer starts before the
// oldest record kept.
func (s *Spool) openReader(name string) (*Reader, error) {
	r := &Reader{s: s, name: name, wake: make(chan struct{}, 1)}
	oldest, last := s.segs[0].base-1, s.next-1
	c := oldest
	raw, err := os.ReadFile(s.cursorPath(name))
	switch {
	case err == nil:
		if c, err = strconv.ParseUint(strings.TrimSpace(string(raw)), 10, 64); err != nil {
			return nil, fmt.Errorf("reading cursor of %q: %w", name, err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("reading cursor of %q: %w", name, err)
	}
	if c < oldest {
		s.log.Warn("spool: a consumer's cursor is before the oldest record kept; it starts there", "consumer", name, "cursor", c, "oldest", oldest+1)
		c = oldest
	}
	if c > last {
		s.log.Error("spool: a consumer's cursor is past the last record; the spool lost records it had", "consumer", name, "cursor", c, "last", last)
		c = last
	}
	r.committed.Store(c)
	r.pos.Store(c)
	return r, nil
}

// Name returns the consumer's name.
func (r *Reader) Name() string { return r.name }

// Pos returns the position of the last record Next returned (the cursor
// before the first call).
func (r *Reader) Pos() uint64 { return r.pos.Load() }

// Committed returns the cursor.
func (r *Reader) Committed() uint64 { return r.committed.Load() }

// Next returns the record after the last one returned, waiting for one to
// be committed. It returns ErrClosed once the spool is closed and every
// record has been read, and ctx's error when ctx ends first.
func (r *Reader) Next(ctx context.Context) (Record, error) {
	want := r.pos.Load() + 1
	for {
		last, closed := r.s.watch()
		if want <= last {
			break
		}
		if closed {
			return Record{}, ErrClosed
		}
		select {
		case <-r.wake:
		case <-ctx.Done():
			return Record{}, ctx.Err()
		}
	}
	if err := r.position(want); err != nil {
		return Record{}, err
	}
	var err error
	r.buf, _, err = readRecord(r.br, r.buf, r.s.cfg.MaxRecordBytes, r.at, r.old)
	r.at++
	if err != nil {
		r.closeFile()
		return Record{}, fmt.Errorf("reading spool record %d: %w", want, err)
	}
	r.pos.Store(want)
	return Record{Pos: want, Data: r.buf}, nil
}

func (s *Spool) watch() (last uint64, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next - 1, s.closed && len(s.waiters) == 0 && s.writing == 0
}

// position makes the next readRecord return record want, opening its
// segment and skipping the records before it when needed.
func (r *Reader) position(want uint64) error {
	if r.f != nil && r.end == 0 {
		r.end = r.s.baseAfter(r.seg)
	}
	if r.f == nil || r.end != 0 && want >= r.end || r.at > want {
		if err := r.open(want); err != nil {
			return err
		}
	}
	for r.at < want {
		var err error
		r.buf, _, err = readRecord(r.br, r.buf, r.s.cfg.MaxRecordBytes, r.at, r.old)
		r.at++
		if err != nil {
			r.closeFile()
			return fmt.Errorf("skipping to spool record %d: %w", want, err)
		}
	}
	return nil
}

// baseAfter returns the base of the segment after the one at base, or 0.
func (s *Spool) baseAfter(base uint64) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.segs {
		if g.base > base {
			return g.base
		}
	}
	return 0
}

// open opens the segment holding want.
func (r *Reader) open(want uint64) error {
	r.closeFile()
	r.s.mu.Lock()
	i := len(r.s.segs) - 1
	for i > 0 && r.s.segs[i].base > want {
		i--
	}
	g := r.s.segs[i]
	r.seg, r.end, r.old = g.base, 0, g.legacy
	if i+1 < len(r.s.segs) {
		r.end = r.s.segs[i+1].base
	}
	r.s.mu.Unlock()
	if want < r.seg {
		return fmt.Errorf("spool record %d was deleted (oldest kept: %d)", want, r.seg)
	}
	f, err := os.Open(r.s.segPath(g))
	if err != nil {
		return fmt.Errorf("opening spool segment: %w", err)
	}
	r.f = f
	r.src = untilCommitted{r: r}
	if r.br == nil {
		r.br = bufio.NewReaderSize(&r.src, 256<<10)
	} else {
		r.br.Reset(&r.src)
	}
	r.at = r.seg
	return nil
}

func (r *Reader) closeFile() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// Rewind makes Next start again after the cursor, as after a restart.
func (r *Reader) Rewind() {
	r.closeFile()
	r.pos.Store(r.committed.Load())
}

// Commit moves the cursor to pos: the consumer has made every record up to
// pos durable. It writes the cursor atomically and durably, then deletes
// the segments every consumer is past. A pos at or before the cursor does
// nothing; one past the last record returned is an error.
func (r *Reader) Commit(pos uint64) error {
	r.cmu.Lock()
	defer r.cmu.Unlock()
	if pos <= r.committed.Load() {
		return nil
	}
	if last := r.s.Last(); pos > last {
		return fmt.Errorf("committing spool position %d past the last record %d", pos, last)
	}
	if err := writeCursor(r.s.cfg.Dir, r.name, pos); err != nil {
		return err
	}
	r.committed.Store(pos)
	return r.s.collect()
}

// writeCursor writes NAME.cursor: a temporary file, fsync, rename, fsync of
// the directory.
func writeCursor(dir, name string, pos uint64) error {
	if err := durable.WriteFile(filepath.Join(dir, name+".cursor"), strconv.AppendUint(nil, pos, 10)); err != nil {
		return fmt.Errorf("writing cursor: %w", err)
	}
	return nil
}

// untilCommitted reads the reader's segment up to its committed bytes,
// never past them: in a reused segment the bytes after them are old
// records about to be written over, which the buffered reader must not
// keep.
type untilCommitted struct {
	r   *Reader
	off int64
}

func (c *untilCommitted) Read(p []byte) (int, error) {
	limit := c.r.s.committedBytes(c.r.seg)
	if c.off >= limit {
		return 0, io.EOF
	}
	if int64(len(p)) > limit-c.off {
		p = p[:limit-c.off]
	}
	n, err := c.r.f.ReadAt(p, c.off)
	c.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// committedBytes returns the bytes of committed records in the segment at
// base (its file's size for one listed at start-up and not written since).
func (s *Spool) committedBytes(base uint64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.segs) - 1; i >= 0; i-- {
		if s.segs[i].base == base {
			return s.segs[i].size
		}
	}
	return 0
}

// Scan calls fn with every record the spool holds, oldest first, up to the
// last one committed when it is called, whatever the consumers' cursors:
// what the collector acknowledged most recently is in it. A segment
// deleted during the scan (its consumers moved on) ends it with an error.
func (s *Spool) Scan(ctx context.Context, fn func(Record) error) error {
	s.mu.Lock()
	first, last := s.segs[0].base, s.next-1
	s.mu.Unlock()
	r := &Reader{s: s, wake: make(chan struct{}, 1)}
	r.pos.Store(first - 1)
	defer r.closeFile()
	for r.pos.Load() < last {
		rec, err := r.Next(ctx)
		if err != nil {
			return fmt.Errorf("scanning the spool: %w", err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}
