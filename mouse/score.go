package mouse

import (
	"math"

	"github.com/crumbless/crumbless/internal/buf"
)

// Reason is a bitmask of why a Bot score is high.
type Reason uint16

// The reasons, with their names in AppendReasons and their weights in the
// score (see the package doc).
const (
	ReasonConstantSpeed Reason = 1 << iota // speed: the pointer moves at an even speed
	ReasonNoJitter                         // smooth: speed changes without the tremor of a hand
	ReasonStraight                         // straight: strokes are straight lines
	ReasonNoPauses                         // nopause: long movement without a pause
	ReasonNoApproach                       // noapproach: clicks where the pointer jumped, or never was
	ReasonRegularTiming                    // regular: clicks (or pauses) at regular intervals
	ReasonInstantClick                     // instant: the button was held for no time
)

var reasonNames = [...]string{"speed", "smooth", "straight", "nopause", "noapproach", "regular", "instant"}

// AppendReasons appends the names of the reasons in r to dst, separated by
// commas.
func AppendReasons(dst []byte, r Reason) []byte {
	start := len(dst)
	for i, name := range reasonNames {
		if r&(1<<i) != 0 {
			dst = buf.String(sep(dst, start), name)
		}
	}
	return dst
}

// Score returns how much what was fed looks like a program, 0 (a person)
// to 100, and the reasons. Features without enough data count for
// nothing: a page load with little movement scores low.
func (b *Bot) Score() (uint8, Reason) {
	var s scorer
	s.p = 1
	if b.moving >= minMoving {
		mean := b.sumV / b.moving
		s.add(ReasonConstantSpeed, 0.6, ramp(spread(b.moving, b.sumV, b.sumV2), 0.25, 0.1))
		s.add(ReasonNoJitter, 0.5, ramp(b.sumJerk/max(b.jerks, 1)/mean, 0.12, 0.04))
		if b.turnBase > 0 {
			s.add(ReasonStraight, 0.25, ramp(b.turn/b.turnBase, 0.05, 0.01))
		}
		if b.pauses == 0 && b.stills == 0 && (b.moving >= noPauseRun || b.slices >= noPauseSlices) {
			s.add(ReasonNoPauses, 0.3, 1)
		}
	}
	strokes, straight := b.strokes, b.straight
	if b.path >= MinStrokePx {
		strokes, straight = strokes+1, straight+hypot(b.x-b.sx, b.y-b.sy)/b.path
	}
	if strokes >= minStrokes {
		s.add(ReasonStraight, 0.5, ramp(straight/strokes, 0.98, 0.998))
	}
	if b.judged >= minClicks {
		s.add(ReasonNoApproach, 0.8, ramp(b.noApproach/b.judged, 0.2, 0.5))
	}
	if b.intervals >= minRegular {
		s.add(ReasonRegularTiming, 0.7, ramp(spread(b.intervals, b.sumI, b.sumI2), 0.15, 0.05))
	}
	if b.pauses >= minRegular+1 {
		s.add(ReasonRegularTiming, 0.5, ramp(spread(b.pauses, b.sumP, b.sumP2), 0.15, 0.05))
	}
	if b.holds > 0 {
		s.add(ReasonInstantClick, 0.6, ramp(b.instant/b.holds, 0.2, 0.5))
	}
	return uint8(100*(1-s.p) + 0.5), s.r
}

// scorer combines features as a noisy OR: each makes the score a person's
// less likely by its weight times its strength.
type scorer struct {
	p float32 // the chance, so far, that nothing is a program's
	r Reason
}

func (s *scorer) add(r Reason, weight, strength float32) {
	s.p *= 1 - weight*strength
	if strength >= reasonShare {
		s.r |= r
	}
}

// ramp is 0 at from, 1 at to, linear between and flat beyond (from may be
// above to: then lower values are stronger); 0 for NaN.
func ramp(v, from, to float32) float32 {
	r := (v - from) / (to - from)
	if !(r > 0) { // NaN too, from sums that overflowed
		return 0
	}
	return min(r, 1)
}

// spread is the coefficient of variation (standard deviation / mean) of
// n values with sum s and sum of squares s2.
func spread(n, s, s2 float32) float32 {
	mean := s / n
	if mean <= 0 {
		return 0
	}
	return float32(math.Sqrt(float64(max(s2/n-mean*mean, 0)))) / mean
}

// Reset forgets everything, for a new page load.
func (b *Bot) Reset() { *b = Bot{} }
