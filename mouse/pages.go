package mouse

// pages follows the page changes of the tab for quick backs.
type pages struct {
	cur, prev       uint32
	hasCur, hasPrev bool
	away            bool  // the document was hidden or left (Leave)
	left            int64 // when cur replaced prev, or the document was left
}

// Page takes a page change at t to the page path (an id the caller
// chooses: a hash of the path, say): a single-page-app navigation, or the
// document coming back from the back/forward cache. It first ends what
// the previous page left pending (a navigation answers waiting clicks),
// then reports a QuickBack when path is the page left at most
// QuickBackMillis ago: after A → B → A, with B in Signal.Page; after
// Leave and a restore of the same document, with Page 0. A page returned
// to is a quick back once: A → B → A → B gives one.
func (d *Detector) Page(path uint32, t int64) {
	d.end(t)
	p := &d.pages
	within := t-p.left <= int64(d.config().QuickBackMillis)
	switch {
	case p.hasCur && path == p.cur:
		if p.away && within {
			d.out.emit(Signal{Kind: QuickBack, At: t})
		}
	case p.hasPrev && path == p.prev && !p.away && within:
		d.out.emit(Signal{Kind: QuickBack, At: t, Page: p.cur})
		p.cur, p.hasPrev, p.left = path, false, t
	default:
		p.prev, p.hasPrev = p.cur, p.hasCur
		p.cur, p.hasCur, p.left = path, true, t
	}
	p.away = false
}

// Leave takes the document being hidden or unloaded at t (pagehide, or
// visibilitychange to hidden): what is pending ends now, and a restore of
// the page within QuickBackMillis (Page with the same path) is a quick
// back.
func (d *Detector) Leave(t int64) {
	d.end(t)
	d.pages.away, d.pages.left = true, t
}

// end finalises every window at t: waiting clicks are answered, bursts and
// scroll episodes end.
func (d *Detector) end(t int64) {
	d.Activity(t)
	d.endBurst()
	d.endScroll()
	d.click.live = false
	d.scroll.known = false
}
