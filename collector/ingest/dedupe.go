package ingest

import (
	"slices"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/dedupe"
	"github.com/crumbless/crumbless/sdk/wire"
)

// ReasonInFlight is sent with 503 and Retry-After when an event of the
// batch is being written by another request (a retry that overtook its
// original): the sender retries, and then finds it accepted or forgotten.
// It is not a rejection.
const ReasonInFlight = "in_flight"

// dedupeCounters count what the seen-set did.
type dedupeCounters struct {
	duplicates *metrics.Counter
	inFlight   *metrics.Counter
}

func (c *dedupeCounters) register(set *metrics.Set) {
	c.duplicates = set.NewCounter("crumbless_events_duplicate_total")
	c.inFlight = set.NewCounter("crumbless_batches_in_flight_total")
}

// dedupe drops the events of b already accepted, and marks the others in
// flight, their keys in w.keys, in the order of the events kept. An event
// twice in b is kept once. If another request is writing one of b's events,
// it forgets what it marked, answers 503 and returns false. A batch left
// with no event goes on, to be acknowledged.
func (h *Handler) dedupe(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch, now time.Time) bool {
	w.keys = w.keys[:0]
	if h.cfg.Seen == nil {
		return true
	}
	w.all = w.all[:0]
	for i := range b.Events {
		w.all = append(w.all, dedupe.Key(b.Site, b.Events[i].ID))
	}
	h.cfg.Seen.Warm(w.all)
	kept, dups := b.Events[:0], 0
	for i, k := range w.all {
		switch h.cfg.Seen.Mark(k, now) {
		case dedupe.Duplicate:
			dups++
			continue
		case dedupe.InFlight:
			if slices.Contains(w.keys, k) {
				dups++
				continue
			}
			h.forget(w, b, false)
			h.busy(ctx)
			return false
		}
		w.keys = append(w.keys, k)
		kept = append(kept, b.Events[i])
	}
	b.Events = kept
	h.counters.duplicates.Add(dups)
	return true
}

// keptKeys are the seen-set keys a request needs after it let go of its
// work: to commit them once the rows are durable, or to forget them.
type keptKeys struct {
	keys    [wire.MaxEvents]uint64
	consent [wire.MaxEvents]bool // the key's event is a consent event
	n       int
	events  int // the batch's events, for the counters
}

func (k *keptKeys) save(w *work, b *wire.Batch) {
	k.n = copy(k.keys[:], w.keys)
	for i := range k.n {
		k.consent[i] = b.Events[i].Kind == wire.KindConsent
	}
	k.events = len(b.Events)
}

// commitKept records the kept keys as accepted.
func (h *Handler) commitKept(k *keptKeys) {
	if k.n == 0 {
		return
	}
	h.cfg.Seen.Warm(k.keys[:k.n]) // the spool's fsync came between: the slots are cold again
	for _, key := range k.keys[:k.n] {
		h.cfg.Seen.Commit(key)
	}
}

// forgetKept unmarks the kept keys, or with rowsOnly commits those of
// consent events (see forget).
func (h *Handler) forgetKept(k *keptKeys, rowsOnly bool) {
	for i, key := range k.keys[:k.n] {
		if rowsOnly && k.consent[i] {
			h.cfg.Seen.Commit(key)
		} else {
			h.cfg.Seen.Unmark(key)
		}
	}
}

// forget unmarks the batch's events, so that a retry is accepted. With
// rowsOnly, the consent events, whose records were written, are committed
// instead: a retry writes the rows without a second record.
func (h *Handler) forget(w *work, b *wire.Batch, rowsOnly bool) {
	var k keptKeys
	k.save(w, b)
	h.forgetKept(&k, rowsOnly)
	w.keys = w.keys[:0]
}

// busy answers a batch with an event in flight elsewhere: 503, retry soon.
func (h *Handler) busy(ctx *fasthttp.RequestCtx) {
	h.counters.inFlight.Inc()
	ctx.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
	respond(ctx, fasthttp.StatusServiceUnavailable, ReasonInFlight)
}
