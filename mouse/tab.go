package mouse

// Tab is the mouse add-on's state for one browser tab (wasm/cmd/mouse):
// the current page view's heatmap and selectors, the frustration detector
// and the bot score. The add-on's script feeds it; AppendEvents writes what
// is due as events for the tracker's queue (see events.go). The zero value
// is ready: call Page first. It is not safe for concurrent use.
type Tab struct {
	Heat Heatmap
	Sel  Selectors
	Det  Detector
	Bot  Bot

	viewport []byte // the view's class: xs, sm, md, lg, xl
	fed      bool   // the Bot was fed since its score was last written
	nextMove int64  // the time from which a movement sample is taken
}

// Viewport classes by width in CSS pixels, as the tracker's pageviews have
// them (wasm/core/page.go): xs below 576, sm below 768, md below 1024, lg
// below 1440, xl from 1440.
var (
	viewportBreaks = [...]int32{576, 768, 1024, 1440}
	viewportNames  = [...]byte{'x', 's', 's', 'm', 'm', 'd', 'l', 'g', 'x', 'l'}
)

func viewportClass(width int32) []byte {
	i := 0
	for i < len(viewportBreaks) && width >= viewportBreaks[i] {
		i++
	}
	return viewportNames[2*i : 2*i+2 : 2*i+2]
}

// Page takes a page change at now: the first page of the document, a
// single-page-app navigation, or a restore from the back/forward cache
// (the same id as the page left). id names the page's path (the script
// numbers the paths it has seen); width is the viewport's, docW × docH the
// new document's size. What the page being left had pending is written to
// dst first (its signals, then its heatmap and the bot score, with
// AppendEvents), then a new view starts.
func (t *Tab) Page(dst []byte, id uint32, width, docW, docH int32, now int64) []byte {
	t.Det.Page(id, now)
	dst = t.AppendEvents(dst, now, true)
	t.Heat.Start(docW, docH)
	t.Sel.Reset()
	t.viewport = viewportClass(width)
	return dst
}

// Leave takes the document being hidden or unloaded at now: pending
// windows end (a restore soon after is a quick back), and everything is
// written to dst.
func (t *Tab) Leave(dst []byte, now int64) []byte {
	t.Det.Leave(now)
	return t.AppendEvents(dst, now, true)
}

// Point is where a pointer event happened: page coordinates (for the
// heatmap and the detector), client coordinates (for the bot score), and
// the element it is anchored to with its box in document coordinates (El
// 0: none).
type Point struct {
	PageX, PageY     int32
	ClientX, ClientY int32
	El               uint16
	Box              Box
}

// MinMoveMillis is the least time between two movement samples Move takes:
// about one per animation frame at up to 120 Hz.
const MinMoveMillis = 8

// Slice marks a movement sample's place in the script's slices of
// observation (see the package doc): the script listens for movement for
// a few samples every few seconds, not all the time.
type Slice uint8

// The marks of Slice; a sample may have both, or neither (movement
// observed since the last sample).
const (
	SliceFirst Slice = 1 << iota // the first sample after a gap in which nothing was observed
	SliceLast                    // the last sample before such a gap
)

// Move takes a movement sample at now, at most one per animation frame:
// a sample less than MinMoveMillis after the last one taken is dropped
// (its SliceLast mark is not), unless it is a slice's first. mouse is
// false for touch and pen, which the bot score does not take; slice tells
// where the sample is in the script's slices, and still, for SliceFirst,
// how long after its slice began.
func (t *Tab) Move(p Point, now int64, mouse bool, slice Slice, still int32) {
	// (A slice's first sample follows a gap: it is never dropped, or the
	// bot would take the next one for a step across the gap.)
	if now < t.nextMove && slice&SliceFirst == 0 {
		if mouse && slice&SliceLast != 0 {
			t.Bot.SliceEnd()
		}
		return
	}
	t.nextMove = now + MinMoveMillis
	t.Heat.Move(p.PageX, p.PageY, p.El, p.Box)
	if !mouse {
		return
	}
	if slice&SliceFirst != 0 {
		t.Bot.SliceStart(p.ClientX, p.ClientY, now, still)
	} else {
		t.Bot.Move(p.ClientX, p.ClientY, now)
	}
	if slice&SliceLast != 0 {
		t.Bot.SliceEnd()
	}
	t.fed = true
}

// Click takes a click at now; plain marks an element that is not
// interactive (see Detector.Click), hold the button's hold time in ms (-1
// unknown), mouse as for Move.
func (t *Tab) Click(p Point, now int64, plain bool, hold int32, mouse bool) {
	t.Heat.Click(p.PageX, p.PageY, p.El, p.Box)
	t.Det.Click(p.PageX, p.PageY, now, p.El, plain)
	if mouse {
		t.Bot.Click(p.ClientX, p.ClientY, now, hold)
		t.fed = true
	}
}

// Scroll takes the scroll position (scrollY) and the deepest point seen,
// in percent of the document's height, at now.
func (t *Tab) Scroll(y, reach int32, now int64) {
	t.Det.Scroll(y, now)
	t.Heat.Reach(reach)
}

// appendLimit bounds each event's cells text: a prop value (sdk/wire
// MaxPropValueLen, 256) with room to spare. With the shortest element
// token ("e1.0.0:1," 9 bytes) a part names at most 27 elements, so the
// cells, the viewport and their selectors fit in wire.MaxProps (30).
const appendLimit = 250

// maxEventBytes is the most one heatmap event takes in AppendEvents's
// output: its cells, 27 selectors and the names around them.
const maxEventBytes = appendLimit + 16 + 27*(MaxSelector+8) + 32
