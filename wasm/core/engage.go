package core

import "github.com/crumbless/crumbless/sdk/wire"

// minSummaryMillis is the least time a leave summary covers.
const minSummaryMillis = 1000

// engagement measures the time the visitor engages with the page: the page
// is visible and focused, and the visitor used it (RecordActive) within
// the last IdleMillis.
type engagement struct {
	hidden, blurred bool  // from RecordState; the zero value is engaged
	at              int64 // time accounted up to
	active          int64 // the last RecordActive, or the view's start
	engaged         int64 // engaged milliseconds not yet summarized
}

// restart starts counting for a new view at now.
func (g *engagement) restart(now int64) {
	g.at, g.active, g.engaged = now, now, 0
}

// advance accounts the time from the last call to now.
func (g *engagement) advance(now int64) {
	if !g.hidden && !g.blurred {
		if end := min(now, g.active+IdleMillis); end > g.at {
			g.engaged += end - g.at
		}
	}
	g.at = max(g.at, now)
}

// state takes a state record: visible, focused.
func (t *Tracker) state(f *fields, now int64) {
	g := &t.engagement
	g.advance(now)
	g.hidden, g.blurred = !isOne(f.next()), !isOne(f.next())
}

// active takes an active record: the visitor used the page.
func (t *Tracker) active(now int64) {
	t.engagement.advance(now)
	t.engagement.active = now
}

// leave queues the current view's leave summary: the time since the last
// summary on the page, the engaged part of it, and the deepest scroll so
// far. It is sent each time the page is hidden and when a new view
// replaces it, so a view's summaries add up (scroll: take the largest). A
// summary at a hide within minSummaryMillis of the last is not sent (a
// closing tab is hidden, then unloaded): least is the shortest summary
// sent. Its time goes into the next one.
func (t *Tracker) leave(now, least int64) {
	v := &t.view
	if !t.viewed || now-v.summarized < max(least, 1) {
		return
	}
	g := &t.engagement
	g.advance(now)
	e := t.pageEvent(now, wire.KindLeave)
	e.num[wire.NumberDuration], e.num[wire.NumberEngaged], e.num[wire.NumberScroll] = now-v.summarized, g.engaged, v.scroll
	v.summarized, g.engaged = now, 0
	t.enqueue(e, now)
}
