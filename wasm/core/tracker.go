package core

import (
	"unicode/utf8"

	"github.com/crumbless/crumbless/consent"

	"github.com/crumbless/crumbless/sdk/wire"
)

// Tracker turns the record stream of one page load into batches. Its zero
// value, with Send set, is ready: it waits for the init record. It is not
// safe for concurrent use (the module is single-threaded).
type Tracker struct {
	// Send is called with each encoded batch and SendNormal or SendBeacon.
	// The batch is reused after Send returns: Send must copy it.
	Send func(batch []byte, mode int)
	// Store writes the T3 id's stored form to the device, or removes it
	// when id is empty. The id is reused after Store returns.
	Store func(id []byte)

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

	// What queue and batch point into: the module has no heap (doc.go).
	queueMem [queueBytes]byte
	batchMem [batchBytes]byte

	consent consentState
	method  [8]byte // a consent event's method: a consent.Source's name

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
	if t.consent.settle { // the policy and the Consent Mode commands held for it are in
		t.consent.settle = false
		t.consentChanged(consent.SourceNone, false, now)
	}
	return t.tick(now)
}

func (t *Tracker) record(kind byte, f *fields, now int64) {
	if kind == RecordInit {
		t.init(f, now)
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
		t.endWaits(now, true)
		t.flush(now, SendBeacon)
	case RecordPolicy:
		t.policyRecord(f, now)
	case RecordNav:
		t.navRecord(f, now)
	case RecordTCF:
		t.tcfRecord(f, now)
	case RecordGPP:
		t.gppRecord(f, now)
	case RecordGCM:
		t.gcmRecord(f, now)
	case RecordConsent:
		t.apiRecord(f, now)
	case RecordUID:
		t.uidRecord(f, now)
	case RecordSignals:
		t.signalsRecord(f, now)
	}
}

// init takes the site and the random seed: bytes 0 to 11 prefix the event
// ids, bytes 16 to 31 make a new T3 id when one is needed. Only the first
// valid init counts; the site must be valid UTF-8, so that it decodes to no
// more bytes than it was (the collector refuses a batch whose site is too
// long).
func (t *Tracker) init(f *fields, now int64) {
	site, seed := f.next(), f.next()
	site = wire.Truncate(site, wire.MaxSiteLen)
	if t.inited || len(site) == 0 || !validUTF8(site) || len(seed) < seedBytes {
		return
	}
	t.siteLen = copy(t.site[:], site)
	t.queue, t.batch = t.queueMem[:0], t.batchMem[:0]
	c := &t.consent
	c.head, c.scratch = c.sigMem[0][:0], c.sigMem[1][:0]
	t.ids.init(seed)
	t.inited = true
	t.consent.initAt = now
	if len(seed) >= 32 {
		putHex(t.consent.fresh[:], seed[16:32])
		t.consent.uidOK = true
	}
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
	f.take(&e.Name, wire.MaxNameLen)
	if len(e.Name) == 0 {
		return
	}
	e.Path = t.path[:t.pathLen]
	n := 0
	for f.left() >= 2 && n < len(t.props) {
		p := &t.props[n]
		f.take(&p.Key, wire.MaxPropKeyLen)
		f.take(&p.Value, wire.MaxPropValueLen)
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

// validUTF8 is utf8.Valid, written with utf8.DecodeRune, which the module
// has anyway (sdk/wire's AppendString uses it): utf8.Valid's own copy costs
// more than this loop. DecodeRune returns (RuneError, 1) exactly for the
// bytes utf8.Valid rejects.
func validUTF8(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return false
		}
		b = b[n:]
	}
	return true
}
