package mouse

// scrolling follows the scroll position for direction changes.
type scrolling struct {
	run
	known bool
	dir   int8  // +1 down, -1 up, 0 not yet known
	ext   int32 // the furthest position in dir
}

// Scroll takes the scroll position (scrollY, CSS px) at t, at most one
// per animation frame. Scrolling is Activity: it answers waiting clicks.
func (d *Detector) Scroll(y int32, t int64) {
	d.Activity(t)
	c := &d.cfg
	s := &d.scroll
	if !s.known {
		s.known, s.dir, s.ext = true, 0, y
		return
	}
	if (s.dir > 0 && y >= s.ext) || (s.dir < 0 && y <= s.ext) {
		s.ext = y // further the same way
		return
	}
	dir := int8(1)
	if y < s.ext {
		dir = -1
	}
	if far(y-s.ext, 0, c.ScrollMinPx-1) {
		if s.dir != 0 {
			s.add(t, c.ScrollFlips, c.ScrollMillis)
		}
		s.dir, s.ext = dir, y
	}
}

// endScroll ends the scroll episode, excessive scrolling when it was hit.
func (d *Detector) endScroll() {
	s := &d.scroll
	if s.hit {
		d.out.emit(Signal{Kind: ExcessiveScroll, At: s.first, N: s.count()})
	}
	s.run = run{}
}
