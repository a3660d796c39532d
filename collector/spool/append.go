package spool

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// waiter is one appender waiting for its group's fsync.
type waiter struct {
	pos  uint64
	err  error
	done chan struct{}
}

var waiters = sync.Pool{New: func() any { return &waiter{done: make(chan struct{}, 1)} }}

// Pending is a record queued by Queue, not yet known to be on disk. Call
// Wait exactly once.
type Pending waiter

// Wait returns the record's position once it is on disk and fsynced, or
// the error that kept its group from being written.
func (p *Pending) Wait() (uint64, error) {
	w := (*waiter)(p)
	<-w.done
	pos, err := w.pos, w.err
	w.pos, w.err = 0, nil
	waiters.Put(w)
	return pos, err
}

// Queue queues the record head ‖ body like AppendParts and returns at once:
// the caller can let go of head and body (they are copied) and of what it
// built them with, then Wait. A warm Queue allocates nothing.
func (s *Spool) Queue(ctx context.Context, head, body []byte) (*Pending, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(head)+len(body) > s.cfg.MaxRecordBytes {
		return nil, ErrTooLarge
	}
	w := waiters.Get().(*waiter)
	if err := s.enqueue(w, head, body); err != nil {
		waiters.Put(w)
		return nil, err
	}
	return (*Pending)(w), nil
}

// Append appends rec and returns its position once it is on disk and
// fsynced. See AppendParts.
func (s *Spool) Append(ctx context.Context, rec []byte) (uint64, error) {
	return s.AppendParts(ctx, nil, rec)
}

// AppendParts appends the record head ‖ body (so a caller can frame a
// payload without copying it) and returns its position once it is on disk
// and fsynced. ctx is checked before the record is queued; once queued, the
// record is written whatever happens to ctx, and AppendParts waits for the
// fsync. It fails at once with ErrFull when the disk budget is spent.
// A warm AppendParts allocates nothing.
func (s *Spool) AppendParts(ctx context.Context, head, body []byte) (uint64, error) {
	p, err := s.Queue(ctx, head, body)
	if err != nil {
		return 0, err
	}
	return p.Wait()
}

// enqueue frames a record into the pending group and wakes the committer.
// The CRC is computed on the copy in the pending buffer: head and body
// stay the caller's, and may live on its stack.
func (s *Spool) enqueue(w *waiter, head, body []byte) error {
	size := int64(headerSize + len(head) + len(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.err != nil:
		return s.err
	case s.live+s.writing+int64(len(s.pending))+size > s.cfg.BudgetBytes:
		s.full = true
		s.counters.full.Inc()
		return ErrFull
	}
	at := len(s.pending)
	s.pending = append(append(append(s.pending, make([]byte, headerSize)...), head...), body...)
	rec := s.pending[at+headerSize:]
	binary.LittleEndian.PutUint32(s.pending[at:], uint32(len(rec)))
	// Its position: after the committed records, the group being written
	// and the records pending before it.
	pos := s.next + uint64(s.writingN) + uint64(len(s.waiters))
	binary.LittleEndian.PutUint32(s.pending[at+4:], recordCRC(pos, false, s.pending[at:at+4], rec))
	s.waiters = append(s.waiters, w)
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return nil
}

// commitLoop is the committer: it writes each pending group and fsyncs it
// once. On Close it commits what is pending and returns.
func (s *Spool) commitLoop() {
	defer close(s.done)
	for range s.kick {
		// Woken from idle by the first append, let the appenders that are
		// runnable queue their records first: the committer would
		// otherwise run ahead of them and fsync groups of one (on one
		// core, a fourth of the throughput; bench/RESULTS.md).
		runtime.Gosched()
		// Then commit until nothing is pending: the records that came
		// during a write and fsync are the next group, committed at once
		// rather than after yielding again (a yield puts the committer
		// behind every runnable request, on one core for milliseconds).
		for s.commitGroup() {
		}
	}
	s.commitGroup()
}

// commitGroup takes the pending records, writes and fsyncs them, numbers
// them and wakes their appenders and the readers. It reports whether there
// were any.
func (s *Spool) commitGroup() bool {
	s.mu.Lock()
	buf, ws := s.pending, s.waiters
	if len(ws) == 0 {
		s.mu.Unlock()
		return false
	}
	s.pending, s.waiters = s.spare[:0], s.spareW[:0]
	s.writing, s.writingN = int64(len(buf)), len(ws)
	err := s.err
	s.mu.Unlock()
	start := time.Now()
	if err == nil {
		err = s.write(buf)
	}
	took := time.Since(start)
	s.mu.Lock()
	s.writing, s.writingN = 0, 0
	first := s.next
	if err != nil {
		s.err = err
	} else {
		s.next += uint64(len(ws))
		s.live += int64(len(buf))
		s.segs[len(s.segs)-1].size += int64(len(buf))
		s.wakeReadersLocked()
	}
	s.mu.Unlock()
	s.counters.group(len(ws), took, err)
	for i, w := range ws {
		if err != nil {
			w.err = err
		} else {
			w.pos = first + uint64(i)
		}
		w.done <- struct{}{}
	}
	clear(ws)
	s.mu.Lock()
	if cap(buf) <= maxKeptGroupBytes {
		s.spare = buf[:0]
	} else {
		s.spare = make([]byte, 0, groupBytes)
	}
	s.spareW = ws[:0]
	s.mu.Unlock()
	return true
}

// wakeReadersLocked tells every reader that records were committed (or
// that the spool is closing), without allocating: each reader has a
// one-slot channel, and a token already there is as good as a new one.
func (s *Spool) wakeReadersLocked() {
	for _, r := range s.readers {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// write appends a group to the active segment, first starting a new
// segment if the active one is full, and fsyncs it.
func (s *Spool) write(buf []byte) error {
	s.mu.Lock()
	size, next := s.segs[len(s.segs)-1].size, s.next
	s.mu.Unlock()
	if size >= s.cfg.SegmentBytes {
		if err := s.newSegment(next); err != nil {
			return fmt.Errorf("rotating spool segment: %w", err)
		}
	}
	if _, err := s.active.Write(buf); err != nil {
		return fmt.Errorf("writing spool segment: %w", err)
	}
	if err := s.datasync(); err != nil {
		return fmt.Errorf("syncing spool segment: %w", err)
	}
	return nil
}
