package mouse

// Detector finds frustration signals in the events of a tab: clicks,
// activity (DOM mutations, selection changes), JavaScript errors, scroll
// positions and page changes, fed in time order with times in
// milliseconds. Each occurrence gives exactly one Signal, taken with Next;
// Tick finalises the windows that have closed and says whether to call it
// again. The zero value uses the default Config; Reset sets another.
type Detector struct {
	cfg    Config
	ready  bool // cfg has its defaults
	burst  burst
	dead   [maxDead]pending
	click  pending // the last click, for error clicks; live until it errored
	pages  pages
	scroll scrolling
	out    signals
}

// burst is a run of clicks close to the first one.
type burst struct {
	run
	at       pending // the first click
	selected bool    // the selection changed during the burst
}

// pending is a click waiting for an answer.
type pending struct {
	t    int64
	x, y int32
	el   uint16
	live bool
}

const maxDead = 4 // clicks waiting for an answer at once; more are not judged

// Reset forgets everything and takes the thresholds of c.
func (d *Detector) Reset(c Config) { *d = Detector{cfg: c} }

func (d *Detector) config() *Config {
	if !d.ready {
		d.cfg, d.ready = d.cfg.withDefaults(), true
	}
	return &d.cfg
}

// Click takes a click at page coordinates x, y at t on the element el
// (0: none); plain marks an element the caller found not interactive.
func (d *Detector) Click(x, y int32, t int64, el uint16, plain bool) {
	c := d.config()
	d.Tick(t)
	p := pending{t: t, x: x, y: y, el: el, live: true}
	b := &d.burst
	if b.n > 0 && far(x-b.at.x, y-b.at.y, c.RageRadius) {
		d.endBurst()
	}
	if b.n == 0 {
		b.at = p
	}
	if b.add(t, c.RageClicks, c.RageMillis) {
		d.forget(b.first) // a rage click is not also dead clicks
	}
	d.click = p
	if !b.hit && (!plain || c.DeadPlain) {
		d.wait(p)
	}
}

func far(dx, dy, r int32) bool { return int64(dx)*int64(dx)+int64(dy)*int64(dy) > int64(r)*int64(r) }

// wait starts the dead-click window of p, unless a click waiting already
// is on the same element nearby (clicking it again is one dead click).
func (d *Detector) wait(p pending) {
	free := -1
	for i, w := range d.dead {
		if w.live && w.el == p.el && !far(w.x-p.x, w.y-p.y, d.cfg.RageRadius) {
			return
		}
		if !w.live && free < 0 {
			free = i
		}
	}
	if free >= 0 {
		d.dead[free] = p
	}
}

// forget drops the clicks waiting since from.
func (d *Detector) forget(from int64) {
	for i := range d.dead {
		if d.dead[i].t >= from {
			d.dead[i].live = false
		}
	}
}

// endBurst ends the click burst, a rage click when it was hit, unless it
// was a triple-click that selected text (a paragraph, by the browser).
func (d *Detector) endBurst() {
	b := &d.burst
	if b.hit && !(b.selected && b.n == 3) {
		d.out.emit(Signal{Kind: RageClick, At: b.first, El: b.at.el, N: b.count(), X: b.at.x, Y: b.at.y})
	}
	*b = burst{}
}

// Activity takes an answer of the page at t: a DOM mutation, a
// navigation or a scroll. Every click waiting since t or before is not
// dead.
func (d *Detector) Activity(t int64) {
	d.Tick(t)
	d.forget(-1 << 62)
}

// Select takes a selection change at t that selected text (a selection
// that is not collapsed; the loader does not report one that merely
// clears): it is Activity, and a burst of exactly three clicks that
// selects text is a triple-click, not rage. Browsers select on mousedown,
// so it may come between the clicks of the burst or after them.
func (d *Detector) Select(t int64) {
	d.Activity(t)
	if d.burst.n > 0 {
		d.burst.selected = true
	}
}

// Error takes a JavaScript error at t (window error or unhandledrejection).
func (d *Detector) Error(t int64) {
	d.Tick(t)
	if k := &d.click; k.live && t-k.t <= int64(d.config().ErrorMillis) {
		d.out.emit(Signal{Kind: ErrorClick, At: k.t, El: k.el, X: k.x, Y: k.y})
		k.live = false
	}
}

// Tick finalises what is due at now: clicks no activity answered within
// DeadMillis, bursts and scroll episodes that ended. It reports whether a
// window is still open: then call it again later. When it is called does
// not change what is found (every feeder ticks first), only how soon.
func (d *Detector) Tick(now int64) bool {
	c := d.config()
	open := false
	for i := range d.dead {
		w := &d.dead[i]
		if w.live && now > w.t+int64(c.DeadMillis) {
			d.out.emit(Signal{Kind: DeadClick, At: w.t, El: w.el, X: w.x, Y: w.y})
			w.live = false
		}
		open = open || w.live
	}
	if d.burst.over(now, c.RageMillis) {
		d.endBurst()
	}
	if d.scroll.over(now, c.ScrollMillis) {
		d.endScroll()
	}
	return open || d.burst.n > 0 || d.scroll.n > 0
}
