package mouse

import (
	"fmt"
	"math"
	"sort"
	"testing"
)

type botCase struct {
	name string
	gen  func(seed uint64) []sample
	want Reason // reasons every run must have
}

var bots = []botCase{
	{"line", func(seed uint64) []sample { return lineBot(seed, -1) }, ReasonConstantSpeed | ReasonStraight},
	{"line+instant", func(seed uint64) []sample { return lineBot(seed, 0) }, ReasonConstantSpeed | ReasonStraight | ReasonInstantClick},
	{"teleport", teleportBot, ReasonNoApproach},
	{"metronome", metronomeBot, ReasonRegularTiming},
}

// TestBotSeparation scores generated humans and bots: every bot must score
// at least 70 with its reasons, every human at most 30.
func TestBotSeparation(t *testing.T) {
	const runs = 200
	var humans, robots []int
	for seed := range uint64(runs) {
		score, r := feedBot(human(seed))
		humans = append(humans, int(score))
		if score > 30 {
			t.Errorf("human %d scored %d (%s)", seed, score, AppendReasons(nil, r))
		}
	}
	for _, c := range bots {
		for seed := range uint64(runs / 4) {
			score, r := feedBot(c.gen(seed))
			robots = append(robots, int(score))
			if score < 70 || r&c.want != c.want {
				t.Errorf("%s bot %d scored %d (%s), want ≥ 70 with %s", c.name, seed, score, AppendReasons(nil, r), AppendReasons(nil, c.want))
			}
		}
	}
	t.Logf("humans %s; bots %s; AUC %.4f", summary(humans), summary(robots), auc(humans, robots))
}

func summary(v []int) string {
	s := append([]int(nil), v...)
	sort.Ints(s)
	return fmt.Sprintf("n=%d min %d median %d p95 %d max %d", len(s), s[0], s[len(s)/2], s[len(s)*95/100], s[len(s)-1])
}

// auc is the chance that a random bot outscores a random human (ties half).
func auc(humans, robots []int) float64 {
	var sum float64
	for _, r := range robots {
		for _, h := range humans {
			switch {
			case r > h:
				sum++
			case r == h:
				sum += 0.5
			}
		}
	}
	return sum / float64(len(humans)*len(robots))
}

// TestBotFeatures prints the features of one human and one of each bot,
// to tune the ramps (go test -run BotFeatures -v).
func TestBotFeatures(t *testing.T) {
	show := func(name string, s []sample) {
		var b Bot
		for _, m := range s {
			if m.click {
				b.Click(m.x, m.y, m.t, m.hold)
			} else {
				b.Move(m.x, m.y, m.t)
			}
		}
		score, r := b.Score()
		t.Logf("%-10s score %3d %-30s speedCV %.3f jitter %.3f turn %.3f straight %.4f (%v strokes) pauses %v pauseCV %.3f clickCV %.3f noapproach %v/%v",
			name, score, AppendReasons(nil, r), spread(b.moving, b.sumV, b.sumV2), b.sumJerk/max(b.jerks, 1)/(b.sumV/max(b.moving, 1)),
			b.turn/max(b.turnBase, 1), b.straight/max(b.strokes, 1), b.strokes, b.pauses, spread(b.pauses, b.sumP, b.sumP2),
			spread(b.intervals, b.sumI, b.sumI2), b.noApproach, b.clicks)
	}
	for seed := range uint64(3) {
		show("human", human(seed))
		for _, c := range bots {
			show(c.name, c.gen(seed))
		}
	}
}

// TestBotHumanVariants scores people whose hand does not tremble at all:
// only the speed profile, the curve and whole pixels are left.
func TestBotHumanVariants(t *testing.T) {
	defer func() { humanTremor = -1 }()
	for _, tremor := range []float64{0, 0.2} {
		humanTremor = tremor
		var scores []int
		for seed := range uint64(200) {
			score, r := feedBot(human(seed))
			scores = append(scores, int(score))
			if score > 30 {
				t.Errorf("tremor %.1f, human %d scored %d (%s)", tremor, seed, score, AppendReasons(nil, r))
			}
		}
		t.Logf("tremor %.1f px: humans %s", tremor, summary(scores))
	}
}

func TestBotClicks(t *testing.T) {
	line := func(b *Bot, x0, y0, x1, y1 int32, t0 int64) int64 {
		for i := range int32(30) {
			b.Move(x0+(x1-x0)*i/29, y0+(y1-y0)*i/29, t0+int64(i)*17)
		}
		return t0 + 29*17
	}
	tests := []struct {
		name string
		feed func(b *Bot)
		want Reason
		min  uint8
	}{
		{"nothing", func(b *Bot) {}, 0, 0},
		{"one click, never moved", func(b *Bot) { b.Click(5, 5, 1000, -1) }, 0, 0}, // too little to judge
		{"clicks where the pointer never was", func(b *Bot) {
			b.Click(100, 100, 1000, -1)
			b.Click(900, 500, 2500, -1)
		}, ReasonNoApproach, 80},
		{"approached clicks and a double-click", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.Click(301, 199, t+120, 90)
			b.Click(301, 199, t+250, 85)
		}, 0, 0},
		{"a jump, then clicks", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.Move(1200, 700, t+17)
			b.Click(1200, 700, t+30, 90)
			b.Click(1200, 700, t+530, 90)
		}, ReasonNoApproach, 80},
		{"clicks away from the pointer", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.Click(600, 200, t+100, 90)
			b.Click(300, 200, t+700, 90)
		}, ReasonNoApproach, 80},
		{"clicks after the slice ended, far from its last sample", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.SliceEnd()
			b.Click(900, 600, t+700, 90)
			b.Click(900, 600, t+900, 90) // a double-click there
			b.Click(100, 500, t+1500, 90)
		}, 0, 0},
		{"a click just after the slice ended, at its last sample, is approached", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.SliceEnd()
			b.Click(302, 201, t+60, 90)
			b.Click(900, 600, t+1000, 90) // unknown
			b.SliceStart(700, 300, t+2100, 50)
			b.Click(705, 296, t+2200, 90) // at a slice's first sample: unknown
			if b.judged != 1 || b.noApproach != 0 {
				panic("the approach of only the first click is known")
			}
		}, 0, 0},
		{"a slice's first sample, then clicks away from it", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.SliceEnd()
			b.SliceStart(700, 300, t+2000, 30)
			b.Click(100, 600, t+2100, 90)
			b.Click(1000, 100, t+2600, 90)
		}, ReasonNoApproach, 80},
		{"a slice's first sample, a stroke and a click", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.SliceEnd()
			b.SliceStart(700, 300, t+2000, 30)
			t = line(b, 700, 300, 900, 500, t+2017)
			b.Click(900, 500, t+150, 90)
			b.Click(900, 500, t+300, 90)
		}, 0, 0},
		{"instant clicks", func(b *Bot) {
			t := line(b, 0, 0, 300, 200, 1000)
			b.Click(300, 200, t+100, 0)
			b.Click(300, 200, t+900, 1)
		}, ReasonInstantClick, 60},
	}
	for _, tt := range tests {
		var b Bot
		tt.feed(&b)
		score, r := b.Score()
		if r&^ReasonStraight&^ReasonConstantSpeed&^ReasonNoJitter != tt.want || score < tt.min {
			t.Errorf("%s: score %d (%s), want at least %d with %s", tt.name, score, AppendReasons(nil, r), tt.min, AppendReasons(nil, tt.want))
		}
	}
}

func TestAppendReasons(t *testing.T) {
	if got := string(AppendReasons([]byte("x="), ReasonConstantSpeed|ReasonNoApproach|ReasonInstantClick)); got != "x=speed,noapproach,instant" {
		t.Errorf("got %q", got)
	}
	if got := AppendReasons(nil, 0); len(got) != 0 {
		t.Errorf("no reasons: %q", got)
	}
}

// TestBotSliced scores the generated humans and bots observed as the
// add-on observes them, n moves from some 2-s ticks (sdk/js/mouse.js
// takes 16): the score still separates them, and a person's clicks outside
// the slices are never counted as unapproached. (With 12, pieces of a
// person's curved strokes are short enough to look straight: a few score
// over 30.)
func TestBotSliced(t *testing.T) {
	const runs = 200
	for _, n := range []int{16, 20, 24, 32} {
		var humans, robots []int
		unknown, clicks := 0, 0
		for seed := range uint64(runs) {
			var b Bot
			feed(&b, sliced(human(seed), n))
			score, r := b.Score()
			humans = append(humans, int(score))
			if score > 30 || b.noApproach > 0 {
				t.Errorf("n %d: human %d scored %d (%s), %v of %v clicks unapproached", n, seed, score, AppendReasons(nil, r), b.noApproach, b.judged)
			}
			unknown, clicks = unknown+int(b.clicks-b.judged), clicks+int(b.clicks)
		}
		for _, c := range bots {
			for seed := range uint64(runs / 4) {
				score, r := feedBot(sliced(c.gen(seed), n))
				robots = append(robots, int(score))
				if score < 70 || r&c.want != c.want {
					t.Errorf("n %d: %s bot %d scored %d (%s), want ≥ 70 with %s", n, c.name, seed, score, AppendReasons(nil, r), AppendReasons(nil, c.want))
				}
			}
		}
		if unknown == 0 {
			t.Errorf("n %d: every click of the humans was in a slice: the test proves nothing", n)
		}
		t.Logf("n %d: humans %s; bots %s; AUC %.4f; %d of %d human clicks outside slices", n, summary(humans), summary(robots), auc(humans, robots), unknown, clicks)
	}
}

// TestBotNoPausesSliced: a pointer that never stops is nopause whether it
// is observed all the time or in slices, and a person who was still when a
// slice began is not. (The add-on's fifth slice begins at 24 s.)
func TestBotNoPausesSliced(t *testing.T) {
	s := newSession(1)
	for i := range 40 * 60 { // 40 s of a Lissajous figure, one sample a frame
		s.tick()
		s.move(640+400*math.Sin(float64(i)/40), 400+300*math.Cos(float64(i)/55))
	}
	for _, n := range []int{0, 16} {
		in := s.out
		if n > 0 {
			in = sliced(in, n)
		}
		if _, r := feedBot(in); r&ReasonNoPauses == 0 {
			t.Errorf("slices of %d: reasons %s, want nopause", n, AppendReasons(nil, r))
		}
	}
	var b Bot
	feed(&b, sliced(s.out, 16))
	b.SliceStart(10, 10, s.now()+2500, 400) // still for 400 ms when the slice began
	if _, r := b.Score(); r&ReasonNoPauses != 0 {
		t.Errorf("a still pointer at a slice's start: reasons %s", AppendReasons(nil, r))
	}
}
