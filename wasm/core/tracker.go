package core

import (
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

	inited    bool
	ignored   bool // a local page without the dev setting: nothing is sent
	automated bool // navigator.webdriver
	site      [wire.MaxSiteLen]byte
	siteLen   int
	ids       eventIDs
	set       settings

	view       view
	viewed     bool // a page record made a view
	pending    bool // the current view's pageview waits for the tracker to stop holding
	vitalsSent bool
	engagement engagement
	exps       experiments

	queue  []byte // queued events in the batch form (out.go)
	queued int    // how many events queue holds
	first  int64  // when the first queued event was queued
	later  int64  // 0 until a batch is sent; then what every later batch waits more
	batch  []byte // the batch being sent

	consent consentState
	method  [8]byte // a consent event's method: a consent.Source's name

	event event
	props [wire.MaxProps]wire.Prop

	// What the slices above point into: the module has no heap (doc.go).
	queueMem [queueBytes]byte
	batchMem [batchBytes]byte
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
		e := t.pageEvent(now, wire.KindCustom)
		t.customFields(e, f.next(), f, now)
	case RecordHide:
		t.hide(now)
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
		if replay {
			t.signalsRecord(f, now)
		}
	case RecordClick:
		t.click(f, now)
	case RecordForm:
		t.form(f, now)
	case RecordState:
		t.state(f, now)
	case RecordActive:
		t.active(now)
	case RecordScroll:
		t.scroll(f)
	case RecordVitals:
		t.vitals(f, now)
	case RecordExperiment:
		t.experiment(f, now)
	}
}

// hide: the page is hidden or going away. The view's leave summary is
// queued, every wait ends, and everything goes now by beacon.
func (t *Tracker) hide(now int64) {
	t.endWaits(now, true)
	t.releaseView(now, false)
	t.leave(now, minSummaryMillis)
	t.flush(now, SendBeacon)
}

// init takes the site, the random seed and the settings: seed bytes 0 to
// 11 prefix the event ids, 16 to 31 make a
// new T3 id when one is needed. Only the first valid init counts; the site
// must be printable ASCII, as site ids are.
func (t *Tracker) init(f *fields, now int64) {
	site, seed := f.next(), f.next()
	site = wire.Truncate(site, wire.MaxSiteLen)
	if t.inited || len(site) == 0 || !printable(site) || len(seed) < seedBytes {
		return
	}
	t.siteLen = copy(t.site[:], site)
	t.queue, t.batch = t.queueMem[:0], t.batchMem[:0]
	c := &t.consent
	c.head, c.scratch = c.sigMem[0][:0], c.sigMem[1][:0]
	t.ids.init(seed)
	t.set.read(f)
	t.inited = true
	c.initAt = now
	if len(seed) >= 32 {
		putHex(c.fresh[:], seed[16:32])
		c.uidOK = true
	}
}

// positive keeps a time the collector accepts (it refuses ts <= 0).
func positive(ms int64) int64 {
	if ms < 1 {
		return 1
	}
	return ms
}

// printable reports whether b is printable ASCII, as every site id the
// collector accepts is.
func printable(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
