package core

import (
	"github.com/crumbless/crumbless/internal/buf"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The queue and the batch are fixed arrays. Events are at most
// MaxQueueBytes together unless one is larger by itself; queueBytes bounds
// that one (it is MaxBodyBytes, the most the collector accepts in one
// request): a larger event does not fit and is dropped.
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
func (t *Tracker) enqueue(e *wire.Event, now int64) {
	if t.dropping() || (t.holding() && (t.queued >= MaxQueueEvents || len(t.queue) >= MaxQueueBytes)) {
		return
	}
	e.ID = t.ids.next()
	mark := len(t.queue)
	if t.queued > 0 {
		t.queue = buf.Bytes(t.queue, ',')
	}
	start := len(t.queue)
	buf.Overflow = false
	t.queue = wire.AppendEvent(t.queue, e)
	if buf.Overflow { // too large for what is left of the queue
		t.queue = t.queue[:mark]
		if t.queued == 0 || t.holding() {
			return // too large by itself, or no room while held: dropped
		}
		t.flush(now, SendNormal)
		t.queue = wire.AppendEvent(t.queue, e)
		start = 0
		if buf.Overflow {
			t.queue = t.queue[:0]
			return
		}
	}
	if t.queued > 0 && len(t.queue) > MaxQueueBytes && !t.holding() {
		t.send(t.queue[:mark], now, SendNormal)
		t.queue = t.queue[:copy(t.queue, t.queue[start:])]
		t.queued = 0
	}
	if t.queued == 0 {
		t.first = now
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

// send wraps comma-separated encoded events in a batch and hands it over.
func (t *Tracker) send(events []byte, now int64, mode int) {
	b := buf.Bytes(t.appendHead(t.batch[:0], now), events...)
	t.batch = wire.AppendBatchEnd(b)
	if t.Send != nil {
		t.Send(t.batch, mode)
	}
}

// tick sends the queue once it has waited FlushDelayMillis and returns how
// long until it must be called again, or -1.
func (t *Tracker) tick(now int64) int32 {
	t.endWaits(now, false)
	if t.holding() {
		if d := t.deadline(); d > 0 && t.queued > 0 {
			return int32(max(d-now, 1))
		}
		return -1
	}
	if t.queued == 0 {
		return -1
	}
	if now < t.first { // the clock went back: count the wait from now
		t.first = now
	}
	wait := t.first + FlushDelayMillis - now
	if wait <= 0 {
		t.flush(now, SendNormal)
		return -1
	}
	return int32(wait)
}
