package core

import (
	"github.com/crumbless/crumbless/internal/buf"
	"github.com/crumbless/crumbless/sdk/wire"
)

// A view is one page shown: at load, after each single-page-app navigation
// to another path, and after a restore from the back/forward cache. Its
// pageview's fields stay for the events that follow on the page: their
// path and content.
type view struct {
	ev  event // the pageview; its slices point into mem
	mem [viewBytes]byte
	m   []byte // mem's used part
	// host is the page's host name, for telling outbound links.
	host []byte
	// summarized is when the last leave summary was sent (or the view
	// began); scroll the deepest scroll, in percent.
	summarized, scroll int64
}

// viewBytes holds every field of a pageview at its limit and the host.
const viewBytes = 8 << 10

// page takes a page record (wasm/ABI.md): how the page came (HowLoad,
// HowSPA, HowRestore), its host name, the HTTP status when it is an error
// page, the viewport width, then the pageview's text fields in the order
// of pageTexts: the path (with the allowed query parameters, and the
// fragment for hash routers), referrer, title, language, time zone,
// content id, group and origin, the campaign (utm_*) and the ad click id's
// name and value. A page whose path is the current view's is not a new
// view, unless it comes from the back/forward cache.
func (t *Tracker) page(f *fields, now int64) {
	if f.left() < 5 {
		return // no path: malformed
	}
	var in [4][]byte
	f.read(in[:])
	how, host, status, width := in[0], in[1], in[2], in[3]
	if !t.set.dev && isLocal(host) {
		t.ignored = true // nothing is ever sent from this page
		return
	}
	v := &t.view
	restore := equal(how, HowRestore)
	if q := *f; t.viewed && !restore && bytesEqual(q.next(), v.ev.text[wire.TextPath]) {
		return
	}
	if t.viewed {
		if !restore { // (the page was summarized when it was hidden into the cache)
			t.leave(now, 0)
		}
		t.releaseView(now, true)
	}
	v.m = v.mem[:0]
	e := &v.ev
	*e = noEvent
	e.kind, e.ts = wire.KindPageview, positive(now)
	for _, field := range pageFields {
		e.text[field] = keep(&v.m, f.next(), int(wire.TextLimits[field]))
	}
	v.host = keep(&v.m, host, wire.MaxSiteLen)
	e.text[wire.TextViewport] = viewportClass(width)
	if s, ok := parseUint(status); ok && s != 200 && s < 1000 {
		e.num[wire.NumberStatus] = int64(s)
	}
	v.summarized, v.scroll = now, 0
	t.viewed, t.pending = true, true
	t.engagement.restart(now)
	t.releaseView(now, false)
}

// pageFields are a pageview's text fields in the order of the page record.
var pageFields = [...]uint8{wire.TextPath, wire.TextReferrer, wire.TextTitle, wire.TextLang, wire.TextTZ,
	wire.TextContentID, wire.TextContentGroup, wire.TextContentOrigin, wire.TextUTMSource, wire.TextUTMMedium,
	wire.TextUTMCampaign, wire.TextUTMTerm, wire.TextUTMContent, wire.TextClick, wire.TextClickID}

// releaseView queues the current view's pageview once the consent
// decision is made (or known not to come: no policy), so that the
// pageview's click id follows it: its value is sent only under the
// marketing flag. With force, the pageview is queued now (a new view is
// replacing it), without the value unless the decision is made.
func (t *Tracker) releaseView(now int64, force bool) {
	c := &t.consent
	if !t.pending || (c.mode == waitPolicy || c.mode == withPolicy && !c.decided) && !force {
		return
	}
	t.pending = false
	t.event = t.view.ev
	e := &t.event
	if !t.marketing() {
		e.text[wire.TextClickID] = nil
	}
	e.exp = t.exps.list()
	t.enqueue(e, now)
}

// pageEvent returns the scratch event for an event at time now on the
// current page: its path, content and experiments are the page's.
func (t *Tracker) pageEvent(now int64, kind wire.Kind) *event {
	v := &t.view.ev
	e := &t.event
	*e = noEvent
	e.kind, e.ts, e.exp = kind, positive(now), t.exps.list()
	e.text[wire.TextPath] = v.text[wire.TextPath]
	copy(e.text[wire.TextContentID:wire.TextContentOrigin+1], v.text[wire.TextContentID:])
	return e
}

// keep appends v, cut to n bytes, to *m and returns what it appended. (The
// loader took personal data out of what the page captured: wasm/ABI.md.)
func keep(m *[]byte, v []byte, n int) []byte {
	start := len(*m)
	*m = buf.Bytes(*m, wire.Truncate(v, n)...)
	return (*m)[start:]
}
