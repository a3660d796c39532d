package mouse

import (
	"math"
	"math/rand/v2"
)

// Generated trajectories for the bot score's tests. A sample is a movement
// sample or a click as the loader would feed it: coalesced to animation
// frames (16.7 ms), whole CSS pixels, Date.now() milliseconds.

type sample struct {
	x, y  int32
	t     int64
	click bool
	hold  int32
	slice Slice // its marks when observed in slices (sliced); hold is then how long after its slice began
}

// sliced observes samples as the add-on's script does (sdk/js/mouse.js):
// it listens for movement from the start, stops after n moves, and
// listens again at the 2-s ticks 1 and 2 and then at every sixth tick (a
// slice), taking the count from 0 again when it still listens. Clicks are
// always observed.
func sliced(in []sample, n int) []sample {
	if len(in) == 0 {
		return nil
	}
	var out []sample
	listening, gap, count, opened := true, false, 0, int64(0)
	tick, ticks := in[0].t+2000, 1
	for _, m := range in {
		for ; tick <= m.t; tick, ticks = tick+2000, ticks+1 {
			if ticks > 2 && ticks%6 != 0 {
				continue
			}
			if !listening {
				gap, opened = true, tick
			}
			listening, count = true, 0
		}
		if m.click {
			out = append(out, m)
			continue
		}
		if !listening {
			continue
		}
		if gap {
			m.slice, m.hold, gap = SliceFirst, int32(m.t-opened), false
		}
		if count++; count >= n {
			m.slice |= SliceLast
			listening = false
		}
		out = append(out, m)
	}
	return out
}

// session builds a sample sequence; now advances in frames.
type session struct {
	rng    *rand.Rand
	frame  float64 // the current frame's time, ms
	x, y   float64 // the pointer
	out    []sample
	w, h   float64 // the viewport
	jitter bool    // frame times vary, as a loaded main thread makes them
}

func newSession(seed uint64) *session {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &session{rng: rng, frame: 1_700_000_000_000, x: 640, y: 400, w: 1280, h: 800}
}

func (s *session) tick() {
	s.frame += 1000.0 / 60
	if s.jitter && s.rng.Float64() < 0.05 {
		s.frame += 1000.0 / 60 // a dropped frame
	}
}

func (s *session) now() int64 { return int64(s.frame) }

func (s *session) move(x, y float64) {
	s.x, s.y = x, y
	s.out = append(s.out, sample{x: int32(math.Round(x)), y: int32(math.Round(y)), t: s.now()})
}

func (s *session) click(hold int32) {
	s.out = append(s.out, sample{x: int32(math.Round(s.x)), y: int32(math.Round(s.y)), t: s.now(), click: true, hold: hold})
}

// wait lets ms pass without samples.
func (s *session) wait(ms float64) { s.frame += ms }

func (s *session) target() (float64, float64) {
	return 20 + s.rng.Float64()*(s.w-40), 20 + s.rng.Float64()*(s.h-40)
}

// minJerk is the minimum-jerk position profile, 0 to 1 over tau 0 to 1.
func minJerk(tau float64) float64 { return tau * tau * tau * (10 - 15*tau + 6*tau*tau) }

// reach moves like a hand: a minimum-jerk stroke along a slightly curved
// path whose duration follows Fitts' law, tremor noise on every sample,
// and sometimes an overshoot and a correction.
func (s *session) reach(tx, ty float64) {
	dist := math.Hypot(tx-s.x, ty-s.y)
	over := 0.0
	if s.rng.Float64() < 0.5 {
		over = dist * (0.03 + 0.07*s.rng.Float64())
	}
	ux, uy := (tx-s.x)/max(dist, 1), (ty-s.y)/max(dist, 1)
	s.stroke(tx+ux*over, ty+uy*over, dist)
	if over > 0 {
		s.wait(40 + 120*s.rng.Float64())
		s.stroke(tx+s.rng.NormFloat64()*2, ty+s.rng.NormFloat64()*2, over)
	}
}

func (s *session) stroke(tx, ty, dist float64) {
	fitts := (80 + 160*math.Log2(dist/20+1)) * (0.8 + 0.5*s.rng.Float64())
	x0, y0 := s.x, s.y
	bow := s.rng.NormFloat64() * 0.12 * dist // the arc of a wrist or elbow
	nx, ny := -(ty-y0)/max(dist, 1), (tx-x0)/max(dist, 1)
	tremor := 0.6 + 0.8*s.rng.Float64()
	if humanTremor >= 0 {
		tremor = humanTremor
	}
	frames := max(int(fitts/(1000.0/60)), 2)
	for i := 1; i <= frames; i++ {
		s.tick()
		tau := float64(i) / float64(frames)
		p := minJerk(tau)
		arc := 4 * p * (1 - p) * bow
		s.move(x0+(tx-x0)*p+nx*arc+s.rng.NormFloat64()*tremor, y0+(ty-y0)*p+ny*arc+s.rng.NormFloat64()*tremor)
	}
}

// humanTremor, when not negative, replaces the tremor of human.
var humanTremor = -1.0

// human is a 30-odd second visit: reaching for targets, clicking some,
// pausing for variable times, drifting while reading.
func human(seed uint64) []sample {
	s := newSession(seed)
	s.jitter = seed%2 == 0
	for range 12 + s.rng.IntN(10) {
		s.reach(s.target())
		if s.rng.Float64() < 0.6 {
			s.wait(60 + 250*s.rng.Float64())
			s.click(int32(50 + s.rng.IntN(100)))
		}
		s.wait(math.Exp(5.5 + 1.2*s.rng.NormFloat64())) // log-normal, ~250 ms median
		if s.rng.Float64() < 0.3 {                      // a small drift
			for range 3 + s.rng.IntN(10) {
				s.tick()
				s.move(s.x+s.rng.NormFloat64()*3, s.y+s.rng.NormFloat64()*3)
			}
		}
	}
	return s.out
}

// lineBot moves in straight lines at constant speed from target to
// target, clicking at each; hold is its button time.
func lineBot(seed uint64, hold int32) []sample {
	s := newSession(seed)
	speed := 0.5 + 2*s.rng.Float64() // px/ms
	for range 12 {
		tx, ty := s.target()
		x0, y0 := s.x, s.y
		frames := max(int(math.Hypot(tx-x0, ty-y0)/speed/(1000.0/60)), 1)
		for i := 1; i <= frames; i++ {
			s.tick()
			s.move(x0+(tx-x0)*float64(i)/float64(frames), y0+(ty-y0)*float64(i)/float64(frames))
		}
		s.wait(50 + 500*s.rng.Float64())
		s.click(hold)
		s.wait(200 + 800*s.rng.Float64())
	}
	return s.out
}

// teleportBot clicks at random places without moving there first, or
// with one mousemove at the target (a scripted page.click).
func teleportBot(seed uint64) []sample {
	s := newSession(seed)
	for i := range 10 {
		s.wait(300 + 2000*s.rng.Float64())
		s.x, s.y = s.target()
		if i%2 == 0 {
			s.tick()
			s.move(s.x, s.y)
		}
		s.click(-1)
	}
	return s.out
}

// metronomeBot moves with an eased speed (not constant) but clicks at
// exactly regular intervals, pausing the same time after each.
func metronomeBot(seed uint64) []sample {
	s := newSession(seed)
	period := 600 + 1400*s.rng.Float64()
	for range 12 {
		start := s.frame
		tx, ty := s.target()
		x0, y0 := s.x, s.y
		for i := 1; i <= 20; i++ {
			s.tick()
			p := minJerk(float64(i) / 20)
			s.move(x0+(tx-x0)*p, y0+(ty-y0)*p)
		}
		s.frame = start + period
		s.click(-1)
	}
	return s.out
}

func feedBot(samples []sample) (uint8, Reason) {
	var b Bot
	feed(&b, samples)
	return b.Score()
}

func feed(b *Bot, samples []sample) {
	for _, m := range samples {
		switch {
		case m.click:
			b.Click(m.x, m.y, m.t, m.hold)
		case m.slice&SliceFirst != 0:
			b.SliceStart(m.x, m.y, m.t, m.hold)
		default:
			b.Move(m.x, m.y, m.t)
		}
		if m.slice&SliceLast != 0 {
			b.SliceEnd()
		}
	}
}
