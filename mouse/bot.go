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

	minMoving   = 30  // moving samples before speed and jitter count
	minStrokes  = 2   // strokes before straightness counts
	minClicks   = 2   // clicks before approach counts
	noPauseRun  = 600 // moving samples without a pause that are no pauses
	minRegular  = 3   // click intervals (or pauses) before regularity counts
	reasonShare = 0.5 // a feature sets its reason at half its strength
)

// Bot scores how much the mouse movement and clicks of a page load look
// like a program's, in fixed memory: running sums, no trajectory. The
// zero value is ready. Feed it mouse pointers only (pointerType "mouse"):
// touch and pen have no approach movement.
type Bot struct {
	x, y    int32 // the last position (client coordinates)
	t       int64
	known   bool
	jumped  bool  // the pointer got where it is by a jump or a click, not by moving
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
	clicks, noApproach     float32
	holds, instant         float32
	lastClick              int64
	intervals, sumI, sumI2 float32 // click intervals, seconds
}

// Move takes a movement sample at client coordinates x, y at t (ms), at
// most one per animation frame.
func (b *Bot) Move(x, y int32, t int64) {
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

func (b *Bot) at(x, y int32, t int64) { b.x, b.y, b.t = x, y, t }

// jump ends the stroke and puts the pointer at x, y without moving there.
func (b *Bot) jump(x, y int32, t int64) {
	b.endStroke()
	b.at(x, y, t)
	b.sx, b.sy, b.jumped = x, y, true
}

// step accounts a step of the stroke at speed v.
func (b *Bot) step(dx, dy int32, v float32) {
	if dx != 0 || dy != 0 {
		b.jumped = false
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
func (b *Bot) Click(x, y int32, t int64, hold int32) {
	if !b.known {
		b.known, b.jumped, b.t = true, true, t
	}
	if b.jumped || far(x-b.x, y-b.y, ApproachPx) {
		b.noApproach++
		b.jump(x, y, b.t) // another click here, without moving, is not approached either
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
