package spooled

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

// pending is one batch: its records, copied out of the spool reader's
// buffer into an arena of its own, and the positions it covers.
type pending struct {
	batch sink.Batch
	arena []byte
	spans []span // where each record's site and rows are in arena
	first uint64 // the first position covered (records skipped as bad too)
	last  uint64
	state int // running, stored or failed, under inFlight.mu
}

type span struct{ site, rows, end int }

const (
	running = iota
	stored
	failed
)

func (b *pending) reset() {
	b.batch.Records, b.arena, b.spans = b.batch.Records[:0], b.arena[:0], b.spans[:0]
	b.first, b.last, b.state = 0, 0, running
}

// add copies the spool record rec into b; it returns false when rec is not
// a batch record, which is counted, logged and skipped, or not of one of
// kinds (nil: any), which is passed over.
func (b *pending) add(rec spool.Record, kinds []sink.Kind, bad *metrics.Counter, log *throttledLog) bool {
	if b.first == 0 {
		b.first = rec.Pos
	}
	b.last = rec.Pos
	var r sink.Record
	compressed, err := decode(&r, rec.Data, rec.Pos)
	if err != nil {
		bad.Inc()
		log.error("decoding a spool record; it is skipped", err)
		return false
	}
	if kinds != nil && !slices.Contains(kinds, r.Kind) {
		return false
	}
	s := span{site: len(b.arena)}
	b.arena = append(b.arena, r.Site...)
	s.rows = len(b.arena)
	if b.arena, err = appendRows(b.arena, r.Rows, compressed); err != nil {
		b.arena = b.arena[:s.site]
		bad.Inc()
		log.error("decoding a spool record; it is skipped", err)
		return false
	}
	s.end = len(b.arena)
	b.spans = append(b.spans, s)
	b.batch.Records = append(b.batch.Records, r)
	return true
}

// seal points the records at the arena, which may have moved since
// they were added; call it once the batch is full.
func (b *pending) seal() {
	for i, s := range b.spans {
		b.batch.Records[i].Site = b.arena[s.site:s.rows:s.rows]
		b.batch.Records[i].Rows = b.arena[s.rows:s.end:s.end]
	}
}

// inFlight bounds the batches being filled and written, and knows the
// highest position below which every batch is stored.
type inFlight struct {
	free   chan *pending
	wg     sync.WaitGroup
	mu     sync.Mutex
	order  []*pending // started and not yet stored in order, oldest first
	doneTo uint64
}

func (f *inFlight) init(max int, cursor uint64) {
	// One more buffer than batches in flight: the one being filled.
	f.free = make(chan *pending, max+1)
	for range max + 1 {
		f.free <- &pending{}
	}
	f.doneTo = cursor
}

// take returns an empty batch, waiting while the most are in flight; nil
// once ctx ends.
func (f *inFlight) take(ctx context.Context) *pending {
	select {
	case b := <-f.free:
		b.reset()
		return b
	case <-ctx.Done():
		return nil
	}
}

// give returns a batch that was not started.
func (f *inFlight) give(b *pending) { f.free <- b }

func (f *inFlight) start(b *pending) {
	f.wg.Add(1)
	f.mu.Lock()
	f.order = append(f.order, b)
	f.mu.Unlock()
}

// finish records b's outcome and moves doneTo past the stored prefix.
func (f *inFlight) finish(b *pending, ok bool) {
	defer f.wg.Done()
	f.mu.Lock()
	defer f.mu.Unlock()
	b.state = failed
	if ok {
		b.state = stored
	}
	n := 0
	for n < len(f.order) && f.order[n].state == stored {
		f.doneTo = f.order[n].last
		f.free <- f.order[n]
		n++
	}
	f.order = append(f.order[:0], f.order[n:]...)
}

// rewind forgets the batches started after cursor; nothing may be in
// flight.
func (f *inFlight) rewind(cursor uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.order {
		f.free <- b
	}
	f.order, f.doneTo = f.order[:0], cursor
}

// done returns the position up to which every batch is stored.
func (f *inFlight) done() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.doneTo
}

// oldest returns when the oldest batch not yet stored was received, or the
// zero time.
func (f *inFlight) oldest() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.order {
		if b.state != stored && len(b.batch.Records) > 0 {
			return b.batch.Records[0].ReceivedAt
		}
	}
	return time.Time{}
}

func (f *inFlight) running() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, b := range f.order {
		if b.state == running {
			n++
		}
	}
	return n
}

// wait waits for the batches being written.
func (f *inFlight) wait() { f.wg.Wait() }
