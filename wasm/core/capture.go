package core

import (
	"github.com/crumbless/crumbless/sdk/wire"
)

// The capture records (wasm/ABI.md): clicks, forms, scroll, vitals,
// experiments. Each becomes events on the current page.

// click takes a click record: the protocol, host name and URL (origin and
// path) of the link clicked (empty when none), whether it has a download
// attribute, the declarative event name of the closest element with
// data-crumbless-event (empty when none), the content id, group and origin
// of the closest element with data-crumbless-content, then the
// data-crumbless-prop-* pairs of the element with the event. A declarative
// event is queued as a custom event; a web link with a download attribute,
// or to a file of a download extension, as a download event; a web link to
// another host as an outbound event.
func (t *Tracker) click(f *fields, now int64) {
	var in [8][]byte
	f.read(in[:])
	if len(in[4]) > 0 {
		t.customFields(t.elementEvent(now, wire.KindCustom, in[5:]), in[4], f, now)
	}
	kind := wire.KindOutbound
	switch {
	case !equal(in[0], "https:") && !equal(in[0], "http:"):
		return
	case isOne(in[3]) || t.set.downloads.has(extension(in[2])):
		kind = wire.KindDownload
	case bytesEqual(in[1], t.view.host):
		return
	}
	e := t.elementEvent(now, kind, in[5:])
	e.text[wire.TextURL] = wire.Truncate(in[2], wire.MaxURLLen)
	t.enqueue(e, now)
}

// elementEvent returns the scratch event for an event at time now about
// an element of the page, whose content id, group and origin are content
// (the loader found them on the element or its closest ancestor that has
// them, which may be the page's).
func (t *Tracker) elementEvent(now int64, kind wire.Kind, content [][]byte) *event {
	e := t.pageEvent(now, kind)
	for i := range 3 {
		e.text[wire.TextContentID+i] = wire.Truncate(content[i], wire.MaxContentLen)
	}
	return e
}

// form takes a form record: the form's id or name (never a field's value)
// and its content id, group and origin.
func (t *Tracker) form(f *fields, now int64) {
	var in [4][]byte
	f.read(in[:])
	e := t.elementEvent(now, wire.KindForm, in[1:])
	e.text[wire.TextForm] = wire.Truncate(in[0], wire.MaxFormLen)
	t.enqueue(e, now)
}

// scroll takes the deepest scroll of the page so far, in percent.
func (t *Tracker) scroll(f *fields) {
	v := &t.view
	if n, ok := parseUint(f.next()); ok && int64(n) > v.scroll {
		v.scroll = min(int64(n), 100)
	}
}

// vitals takes the page load's Core Web Vitals and queues them once per
// page load: LCP, INP, CLS in thousandths, FCP and TTFB, each decimal or
// empty when the browser did not measure it.
func (t *Tracker) vitals(f *fields, now int64) {
	if t.vitalsSent || !t.viewed {
		return
	}
	e := t.pageEvent(now, wire.KindVitals)
	some := false
	for i := wire.NumberLCP; i <= wire.NumberTTFB; i++ {
		if n, ok := parseUint(f.next()); ok && n < 1<<40 && n > 0 {
			e.num[i], some = int64(n), true
		}
	}
	if !some {
		return
	}
	t.vitalsSent = true
	t.enqueue(e, now)
}

// experiments are the experiments the page exposed the visitor to, and
// their variants.
type experiments struct {
	props [wire.MaxExperiments]wire.Prop
	mem   [2 * wire.MaxExperiments * wire.MaxNameLen]byte
	m     []byte
	n     int
}

func (x *experiments) list() []wire.Prop { return x.props[:x.n] }

// experiment takes an experiment record: the experiment's name and the
// variant the visitor is exposed to, then every experiment of the page
// load and its variant (the loader keeps them; the first MaxExperiments
// count). The exposure is queued as an experiment event; the variants
// then ride on every later event of the page load.
func (t *Tracker) experiment(f *fields, now int64) {
	e := t.pageEvent(now, wire.KindExperiment)
	p := &t.props[0]
	f.take(&p.Key, wire.MaxNameLen)
	f.take(&p.Value, wire.MaxNameLen)
	x := &t.exps
	x.m, x.n = x.mem[:0], 0
	for f.left() >= 2 && x.n < len(x.props) {
		q := &x.props[x.n]
		q.Key = keep(&x.m, f.next(), wire.MaxNameLen)
		q.Value = keep(&x.m, f.next(), wire.MaxNameLen)
		x.n++
	}
	if len(p.Key) > 0 && len(p.Value) > 0 {
		e.exp = t.props[:1]
		t.enqueue(e, now)
	}
}

// customFields completes a custom event: its name, then at most
// wire.MaxProps key, value pairs from f (more are dropped, as is a key
// without a value), and queues it. An event whose name is empty is
// ignored: the collector would refuse its batch.
func (t *Tracker) customFields(e *event, name []byte, f *fields, now int64) {
	e.text[wire.TextName] = wire.Truncate(name, wire.MaxNameLen)
	if len(name) == 0 {
		return
	}
	n := 0
	for f.left() >= 2 && n < len(t.props) {
		p := &t.props[n]
		f.take(&p.Key, wire.MaxPropKeyLen)
		p.Value = wire.Truncate(f.next(), wire.MaxPropValueLen)
		n++
	}
	e.props = t.props[:n]
	t.enqueue(e, now)
}
