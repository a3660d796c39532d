package core

import (
	"unicode/utf8"

	"github.com/crumbless/crumbless/sdk/wire"
)

// Tracker turns the record stream of one page load into batches. Its zero
// value, with Send set, is ready: it waits for the init record. It is not
// safe for concurrent use (the module is single-threaded).
type Tracker struct {
	// Send is called with each encoded batch and SendNormal or SendBeacon.
	// The batch is reused after Send returns: Send must copy it.
	Send func(batch []byte, mode int)

	inited  bool
	site    [wire.MaxSiteLen]byte
	siteLen int
	ids     eventIDs
	path    [wire.MaxPathLen]byte // the current page's, for custom events
	pathLen int

	queue  []byte // queued encoded events, separated by commas
	queued int    // how many events queue holds
	first  int64  // when the first queued event was queued
	batch  []byte // the batch being sent

	event wire.Event
	props [wire.MaxProps]wire.Prop
}

// Feed reads the records of one feed (empty for a timer tick) at time now,
// in milliseconds since the Unix epoch, sends what is due, and returns the
// delay in milliseconds after which it must be called again (with no
// records), or -1 when nothing waits. Malformed records, records of an
// unknown kind, and records before init are ignored.
func (t *Tracker) Feed(feed []byte, now int64) (nextTickMillis int32) {
	r := records{rest: feed}
	for {
		kind, f, ok := r.next()
		if !ok {
			break
		}
		t.record(kind, &f, now)
	}
	// Drop the scratch event's views into feed, so that the caller's buffer
	// is not kept alive by them.
	t.event, t.props = wire.Event{}, [wire.MaxProps]wire.Prop{}
	return t.tick(now)
}

func (t *Tracker) record(kind byte, f *fields, now int64) {
	if kind == RecordInit {
		t.init(f)
		return
	}
	if !t.inited {
		return
	}
	switch kind {
	case RecordPage:
		t.page(f, now)
	case RecordEvent:
		t.custom(f, now)
	case RecordHide:
		t.flush(now, SendBeacon)
	}
}

// init takes the site and the random seed. Only the first valid init counts;
// the site must be valid UTF-8, so that it decodes to no more bytes than it
// was (the collector refuses a batch whose site is too long).
func (t *Tracker) init(f *fields) {
	site, seed := f.next(), f.next()
	site = wire.Truncate(site, wire.MaxSiteLen)
	if t.inited || len(site) == 0 || !utf8.Valid(site) || len(seed) < seedBytes {
		return
	}
	t.siteLen = copy(t.site[:], site)
	t.ids.init(seed)
	t.inited = true
}

// page queues a pageview and remembers its path for the custom events that
// follow.
func (t *Tracker) page(f *fields, now int64) {
	e := t.newEvent(now)
	if !pageview(e, f) {
		return
	}
	t.pathLen = copy(t.path[:], e.Path)
	t.enqueue(e, now)
}

// custom queues a custom event: a name, then at most wire.MaxProps key,
// value pairs (more are dropped, as is a key without a value). An event
// whose name is empty is ignored: the collector would refuse its batch.
func (t *Tracker) custom(f *fields, now int64) {
	e := t.newEvent(now)
	e.Kind = wire.KindCustom
	e.Name = wire.Truncate(f.next(), wire.MaxNameLen)
	if len(e.Name) == 0 {
		return
	}
	e.Path = t.path[:t.pathLen]
	n := 0
	for f.left() >= 2 && n < len(t.props) {
		t.props[n] = wire.Prop{
			Key:   wire.Truncate(f.next(), wire.MaxPropKeyLen),
			Value: wire.Truncate(f.next(), wire.MaxPropValueLen),
		}
		n++
	}
	e.Props = t.props[:n]
	t.enqueue(e, now)
}

// newEvent resets the scratch event for a new event at time now.
func (t *Tracker) newEvent(now int64) *wire.Event {
	t.event = wire.Event{TS: positive(now)}
	return &t.event
}

// positive keeps a time the collector accepts (it refuses ts <= 0).
func positive(ms int64) int64 {
	if ms < 1 {
		return 1
	}
	return ms
}
