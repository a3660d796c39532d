package mouse

import "math"

// The bot score's thresholds.
const (
	PauseMillis       = 100 // a gap between movement samples longer than this is a pause
	JumpPx            = 400 // a step longer than this within one sample is a jump
	TeleportPx        = 100 // a step longer than this across a pause is a jump
	ApproachPx        = 20  // a click this close to where the pointer arrived by moving was approached
	InstantHoldMillis = 8   // a button held less than this was pressed by a program
	MinStrokePx       = 50  // strokes shorter than this do not count for straightness

	minMoving     = 30  // moving samples before speed and jitter count
	minStrokes    = 2   // strokes before straightness counts
	minClicks     = 2   // clicks whose approach is known before approach counts
	noPauseRun    = 600 // moving samples without a pause that are no pauses
	noPauseSlices = 5   // or slices with movement, all without a pause (the add-on's fifth begins at 24 s)
	minRegular    = 3   // click intervals (or pauses) before regularity counts
	reasonShare   = 0.5 // a feature sets its reason at half its strength
)

// Bot scores how much the mouse movement and clicks of a page load look
// like a program's, in fixed memory: running sums, no trajectory. The
// zero value is ready. Feed it a mouse's samples only (not touch or pen,
// which have no approach movement).
//
// Movement may be observed in slices (the add-on listens for a few moves
// every few seconds): SliceStart takes the first sample after movement
// nobody saw, SliceEnd says that movement after the last sample goes
// unseen. Move and Click alone are continuous observation.
type Bot struct {
	x, y    int32 // the last position (client coordinates)
	t       int64
	known   bool
	jumped  bool  // the pointer got where it is by a jump or a click, not by moving
	unseen  bool  // how the pointer got where it is was not observed (a slice began)
	ended   bool  // the slice ended at the last sample: later movement is not observed
	slices  int32 // slices begun
	stills  int32 // of them, those begun with the pointer still, a pause of unknown length
	steps   int32 // steps of the current stroke
	ax, ay  int32 // the previous step
	v1, dv1 float32
	sx, sy  int32   // where the stroke began
	path    float32 // its length so far

	moving, sumV, sumV2    float32 // speeds of moving steps, px/ms
	jerks, sumJerk         float32 // |change of the speed change|
	turn, turnBase         float32 // Σ|a×b| and Σ|a||b| of successive steps
	strokes, straight      float32 // strokes and Σ displacement/path length
	pauses, sumP, sumP2    float32 // pauses and their durations, seconds
	clicks                 float32
	judged, noApproach     float32 // clicks whose approach is known, and those without one
	holds, instant         float32
	lastClick              int64
	intervals, sumI, sumI2 float32 // click intervals, seconds
}

// Move takes a movement sample at client coordinates x, y at t (ms), at
// most one per animation frame, the pointer having been observed since the
// last sample: a gap over PauseMillis is a pause.
func (b *Bot) Move(x, y int32, t int64) {
	b.ended = false
	if !b.known {
		b.known = true
		b.jump(x, y, t)
		return
	}
	dx, dy, dt := x-b.x, y-b.y, max(t-b.t, 1)
	dist := hypot(dx, dy)
	switch {
	case dt > PauseMillis:
		b.endStroke()
		b.pauses++
		b.sumP, b.sumP2 = b.sumP+seconds(dt), b.sumP2+seconds(dt)*seconds(dt)
		if dist > TeleportPx {
			b.jump(x, y, t)
			return
		}
	case dist > JumpPx:
		b.jump(x, y, t)
		return
	default:
		b.step(dx, dy, dist/float32(dt))
	}
	b.path += dist
	b.at(x, y, t)
}

// SliceStart takes the first movement sample of a slice, after a gap in
// which the pointer was not observed (SliceEnd), still ms after the slice
// began (observation resumed): it is no step, no jump and no pause of a
// known length, but the start of a stroke; a click at it without moving
// first has no known approach. A still over PauseMillis was a pause all
// the same: the pointer was observed not to move (nopause).
func (b *Bot) SliceStart(x, y int32, t int64, still int32) {
	if !b.known {
		b.Move(x, y, t)
		return
	}
	b.place(x, y, t)
	b.unseen, b.ended = true, false
	b.slices++
	if still > PauseMillis {
		b.stills++
	}
}

// SliceEnd says that the last sample ended a slice: the pointer goes
// unobserved until SliceStart.
func (b *Bot) SliceEnd() { b.ended = true }

func (b *Bot) at(x, y int32, t int64) { b.x, b.y, b.t = x, y, t }

// place ends the stroke and puts the pointer at x, y without moving there.
func (b *Bot) place(x, y int32, t int64) {
	b.endStroke()
	b.at(x, y, t)
	b.sx, b.sy, b.jumped, b.unseen = x, y, false, false
}

// jump ends the stroke and puts the pointer at x, y by a jump.
func (b *Bot) jump(x, y int32, t int64) {
	b.place(x, y, t)
	b.jumped = true
}

// step accounts a step of the stroke at speed v.
func (b *Bot) step(dx, dy int32, v float32) {
	if dx != 0 || dy != 0 {
		b.jumped, b.unseen = false, false
	}
	b.moving, b.sumV, b.sumV2 = b.moving+1, b.sumV+v, b.sumV2+v*v
	dv := v - b.v1
	if b.steps >= 2 {
		b.jerks, b.sumJerk = b.jerks+1, b.sumJerk+abs(dv-b.dv1)
	}
	if b.steps >= 1 {
		cross := float32(b.ax)*float32(dy) - float32(b.ay)*float32(dx)
		b.turn, b.turnBase = b.turn+abs(cross), b.turnBase+hypot(b.ax, b.ay)*hypot(dx, dy)
	}
	b.v1, b.dv1, b.ax, b.ay = v, dv, dx, dy
	b.steps++
}

// endStroke ends the current stroke at the current position.
func (b *Bot) endStroke() {
	if b.path >= MinStrokePx {
		b.strokes++
		b.straight += hypot(b.x-b.sx, b.y-b.sy) / b.path
	}
	b.sx, b.sy, b.path, b.steps = b.x, b.y, 0, 0
}

// Click takes a click at client coordinates x, y at t, with the button
// held hold ms (mousedown to mouseup; -1 when unknown).
//
// Its approach is known while the pointer is observed; after a slice
// ended, only for a click within PauseMillis of the last sample and near
// it (approached); at the first sample of a slice, only for a click away
// from it (not approached: the pointer was observed not to move). Other
// clicks count for the timing features but not for approach, and put the
// pointer where they are.
func (b *Bot) Click(x, y int32, t int64, hold int32) {
	if !b.known {
		b.known, b.jumped, b.t = true, true, t
	}
	near := !far(x-b.x, y-b.y, ApproachPx)
	switch {
	case b.ended && !(near && t-b.t <= PauseMillis), b.unseen && near:
		b.place(x, y, b.t)
		b.unseen = true // a double-click here is not known either
	case b.jumped || !near:
		b.judged++
		b.noApproach++
		b.jump(x, y, b.t) // another click here, without moving, is not approached either
	default:
		b.judged++
	}
	if b.clicks > 0 {
		i := seconds(t - b.lastClick)
		b.intervals, b.sumI, b.sumI2 = b.intervals+1, b.sumI+i, b.sumI2+i*i
	}
	b.clicks++
	b.lastClick = t
	if hold >= 0 {
		b.holds++
		if hold < InstantHoldMillis {
			b.instant++
		}
	}
}

func seconds(ms int64) float32 { return float32(ms) / 1000 }

func hypot(dx, dy int32) float32 {
	return float32(math.Sqrt(float64(dx)*float64(dx) + float64(dy)*float64(dy)))
}

func abs(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
