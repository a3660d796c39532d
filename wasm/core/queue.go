package core

import (
	"github.com/crumbless/crumbless/internal/buf"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The queue and the batch are fixed arrays. Events are at most
// MaxQueueBytes together unless one is larger by itself; queueBytes bounds
// that one (it is MaxBodyBytes, the most the collector accepts in one
// request), and no event within sdk/wire's limits comes near it.
const (
	queueBytes = wire.MaxBodyBytes
	batchBytes = queueBytes + 2048 // and the head: site, signals, policy hash, uid
)

// enqueue encodes e, with a fresh id, at the end of the queue and sends the
// queue when it is full. An event that would take the queue past
// MaxQueueBytes first sends the events queued before it, so a batch is never
// larger than MaxQueueBytes unless it holds a single event.
// While the tracker holds events (waiting for consent or for the stored
// id) nothing is sent and events beyond the queue's limits are dropped; at
// T0 every event is dropped.
func (t *Tracker) enqueue(e *event, now int64) {
	if t.ignored || t.dropping() || (t.holding() && (t.queued >= MaxQueueEvents || len(t.queue) >= MaxQueueBytes)) {
		return
	}
	e.id = t.ids.next()
	mark := len(t.queue)
	buf.Overflow = false
	t.queue = appendEvent(t.queue, e)
	if buf.Overflow { // larger than a request may be: no event within sdk/wire's limits is
		t.queue = t.queue[:mark]
		return
	}
	if t.queued > 0 && len(t.queue) > MaxQueueBytes && !t.holding() {
		t.send(t.queue[:mark], now, SendNormal)
		t.queue = t.queue[:copy(t.queue, t.queue[mark:])]
		t.queued = 0
	}
	if t.queued == 0 {
		t.first = e.ts // a pageview held for the decision counts from when it was captured
	}
	t.queued++
	if t.queued >= MaxQueueEvents || len(t.queue) >= MaxQueueBytes {
		t.flush(now, SendNormal)
	}
}

// flush sends every queued event, if any.
func (t *Tracker) flush(now int64, mode int) {
	if t.queued == 0 || t.holding() {
		return
	}
	t.send(t.queue, now, mode)
	t.queue = t.queue[:0]
	t.queued = 0
}

// send puts the batch head before events and hands the batch over.
func (t *Tracker) send(events []byte, now int64, mode int) {
	t.batch = buf.Bytes(t.appendHead(t.batch[:0]), events...)
	t.later = LaterFlushDelayMillis - FlushDelayMillis
	if t.Send != nil {
		t.Send(t.batch, mode)
	}
}

// tick sends the queue once it has waited FlushDelayMillis (the page
// load's first batch) or LaterFlushDelayMillis (every later one) and
// returns how long until it must be called again, or -1.
func (t *Tracker) tick(now int64) int32 {
	t.endWaits(now, false)
	t.releaseView(now, false)
	due := int64(0)
	if t.holding() {
		if d := t.deadline(); d > 0 && (t.queued > 0 || t.pending) {
			due = sooner(due, d)
		}
	} else if t.queued > 0 {
		if now < t.first { // the clock went back: count the wait from now
			t.first = now
		}
		if due = t.first + FlushDelayMillis + t.later; due <= now {
			t.flush(now, SendNormal)
			due = 0
		}
	}
	if due == 0 {
		return -1
	}
	return int32(min(max(due-now, 1), 1<<30))
}

// sooner returns the earlier of two times, where 0 is none.
func sooner(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}
