package core

import "github.com/crumbless/crumbless/sdk/wire"

// enqueue encodes e, with a fresh id, at the end of the queue and sends the
// queue when it is full. An event that would take the queue past
// MaxQueueBytes first sends the events queued before it, so a batch is never
// larger than MaxQueueBytes unless it holds a single event.
func (t *Tracker) enqueue(e *wire.Event, now int64) {
	e.ID = t.ids.next()
	mark := len(t.queue)
	if t.queued > 0 {
		t.queue = append(t.queue, ',')
	}
	start := len(t.queue)
	t.queue = wire.AppendEvent(t.queue, e)
	if t.queued > 0 && len(t.queue) > MaxQueueBytes {
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
	if t.queued == 0 {
		return
	}
	t.send(t.queue, now, mode)
	t.queue = t.queue[:0]
	t.queued = 0
}

// send wraps comma-separated encoded events in a batch and hands it over.
func (t *Tracker) send(events []byte, now int64, mode int) {
	b := wire.AppendBatchStart(t.batch[:0], t.site[:t.siteLen], positive(now))
	b = append(b, events...)
	t.batch = wire.AppendBatchEnd(b)
	if t.Send != nil {
		t.Send(t.batch, mode)
	}
}

// tick sends the queue once it has waited FlushDelayMillis and returns how
// long until it must be called again, or -1.
func (t *Tracker) tick(now int64) int32 {
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
