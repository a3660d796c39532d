package mouse

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// op is one event fed to a Detector in a script.
type op struct {
	what byte // c click, p plain click, a activity, s selection, e error, g page, l leave, y scroll, t tick
	t    int64
	x, y int32
	el   uint16
	path uint32
}

func click(t int64, x, y int32, el uint16) op { return op{what: 'c', t: t, x: x, y: y, el: el} }

func run_(d *Detector, ops []op) []Signal {
	var got []Signal
	for _, o := range ops {
		switch o.what {
		case 'c', 'p':
			d.Click(o.x, o.y, o.t, o.el, o.what == 'p')
		case 'a':
			d.Activity(o.t)
		case 's':
			d.Select(o.t)
		case 'e':
			d.Error(o.t)
		case 'g':
			d.Page(o.path, o.t)
		case 'l':
			d.Leave(o.t)
		case 'y':
			d.Scroll(o.y, o.t)
		case 't':
			d.Tick(o.t)
		}
		for g, ok := d.Next(); ok; g, ok = d.Next() {
			got = append(got, g)
		}
	}
	return got
}

func show(gs []Signal) string {
	var b strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&b, "%s@%d", g.Kind, g.At)
		if g.El != 0 {
			fmt.Fprintf(&b, " el%d", g.El)
		}
		if g.N != 0 {
			fmt.Fprintf(&b, " n%d", g.N)
		}
		if g.Page != 0 {
			fmt.Fprintf(&b, " page%d", g.Page)
		}
		b.WriteString("; ")
	}
	return strings.TrimSuffix(b.String(), "; ")
}

func at(t int64, what byte) op     { return op{what: what, t: t} }
func page(t int64, path uint32) op { return op{what: 'g', t: t, path: path} }
func scroll(t int64, y int32) op   { return op{what: 'y', t: t, y: y} }

// oscillate scrolls between 0 and amp, one reversal every gap ms, from t.
func oscillate(t int64, flips int, gap int64, amp int32) []op {
	var ops []op
	for i := range flips + 1 {
		y := int32(0)
		if i%2 == 1 {
			y = amp
		}
		for k := range int64(4) { // four frames per leg
			ops = append(ops, scroll(t+int64(i)*gap+k*gap/4, y*int32(k+1)/4+(amp-y)*int32(3-k)/4))
		}
	}
	return ops
}

func TestDetector(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ops  []op
		want string
	}{
		{"rage", Config{}, []op{click(1000, 100, 100, 3), click(1200, 105, 98, 3), click(1400, 110, 104, 3), at(5000, 't')},
			"rage@1000 el3 n3"},
		{"rage, long", Config{}, []op{click(0, 100, 100, 3), click(150, 100, 100, 3), click(300, 100, 100, 3),
			click(900, 100, 100, 3), click(1500, 100, 100, 3), click(2100, 100, 100, 3), at(9000, 't')},
			"rage@0 el3 n6"},
		{"rage, then another", Config{}, []op{click(0, 100, 100, 3), click(100, 100, 100, 3), click(200, 100, 100, 3),
			click(1000, 100, 100, 3), click(1100, 100, 100, 3), click(1200, 100, 100, 3), at(9000, 't')},
			"rage@0 el3 n3; rage@1000 el3 n3"},
		{"double-click answered", Config{}, []op{click(0, 100, 100, 3), click(120, 100, 100, 3), at(200, 's'), at(9000, 't')},
			""},
		{"double-click unanswered: one dead click, no rage", Config{}, []op{click(0, 100, 100, 3), click(120, 100, 100, 3), at(9000, 't')},
			"dead@0 el3"},
		{"triple-click selects a paragraph", Config{}, []op{click(0, 100, 100, 3), click(120, 100, 100, 3), click(240, 100, 100, 3), at(250, 's'), at(9000, 't')},
			""},
		{"four clicks that select are rage", Config{}, []op{click(0, 100, 100, 3), click(120, 100, 100, 3), click(240, 100, 100, 3), at(250, 's'), click(360, 100, 100, 3), at(9000, 't')},
			"rage@0 el3 n4"},
		{"three slow clicks", Config{}, []op{click(0, 100, 100, 3), click(400, 100, 100, 3), click(800, 100, 100, 3), at(810, 'a'), at(9000, 't')},
			""},
		{"three clicks apart", Config{}, []op{click(0, 100, 100, 3), click(100, 140, 100, 3), click(200, 180, 100, 3), at(210, 'a'), at(9000, 't')},
			""},
		{"rage needs 4", Config{RageClicks: 4}, []op{click(0, 100, 100, 3), click(100, 100, 100, 3), click(200, 100, 100, 3), at(210, 'a'), at(9000, 't')},
			""},
		{"rage clicks 2 means 3", Config{RageClicks: 2}, []op{click(0, 100, 100, 3), click(100, 100, 100, 3), at(210, 'a'), at(9000, 't')},
			""},
		{"dead", Config{}, []op{click(1000, 10, 10, 4), at(1999, 't'), at(2000, 't'), at(2001, 't'), at(9000, 't')},
			"dead@1000 el4"},
		{"answered at the last moment", Config{}, []op{click(1000, 10, 10, 4), at(2000, 'a'), at(9000, 't')},
			""},
		{"answered too late", Config{}, []op{click(1000, 10, 10, 4), at(2001, 'a'), at(9000, 't')},
			"dead@1000 el4"},
		{"answered by scrolling", Config{}, []op{click(1000, 10, 10, 4), scroll(1500, 300), at(9000, 't')},
			""},
		{"answered by a page", Config{}, []op{page(0, 1), click(1000, 10, 10, 4), page(1400, 2), at(9000, 't')},
			""},
		{"plain", Config{}, []op{{what: 'p', t: 1000, el: 4}, at(9000, 't')},
			""},
		{"plain counted", Config{DeadPlain: true}, []op{{what: 'p', t: 1000, el: 4}, at(9000, 't')},
			"dead@1000 el4"},
		{"dead windows", Config{DeadMillis: 300}, []op{click(1000, 10, 10, 4), click(1100, 500, 10, 5), at(1350, 'a'), at(9000, 't')},
			"dead@1000 el4"},
		{"two dead clicks", Config{}, []op{click(1000, 10, 10, 4), click(1100, 500, 10, 5), at(9000, 't')},
			"dead@1000 el4; dead@1100 el5"},
		{"rage on a dead element", Config{}, []op{click(0, 100, 100, 3), click(100, 100, 100, 3), click(200, 100, 100, 3), at(9000, 't')},
			"rage@0 el3 n3"},
		{"error click", Config{}, []op{click(1000, 10, 10, 6), at(1010, 'a'), at(1300, 'e'), at(1400, 'e'), at(9000, 't')},
			"errorclick@1000 el6"},
		{"error too late", Config{}, []op{click(1000, 10, 10, 6), at(1010, 'a'), at(2001, 'e'), at(9000, 't')},
			""},
		{"error without a click", Config{}, []op{at(1300, 'e'), at(9000, 't')},
			""},
		{"quick back", Config{}, []op{page(0, 1), page(10_000, 2), page(13_000, 1), at(20_000, 't')},
			"quickback@13000 page2"},
		{"back and forth is one quick back", Config{}, []op{page(0, 1), page(10_000, 2), page(11_000, 1), page(12_000, 2)},
			"quickback@11000 page2"},
		{"each return is one", Config{}, []op{page(0, 1), page(10_000, 2), page(11_000, 1), page(12_000, 2), page(13_000, 1)},
			"quickback@11000 page2; quickback@13000 page2"},
		{"slow back", Config{}, []op{page(0, 1), page(10_000, 2), page(15_001, 1)},
			""},
		{"onwards", Config{}, []op{page(0, 1), page(1000, 2), page(2000, 3)},
			""},
		{"quick back from another document", Config{}, []op{page(0, 1), at(8000, 'l'), page(9000, 1)},
			"quickback@9000"},
		{"slow back from another document", Config{}, []op{page(0, 1), at(8000, 'l'), page(14_000, 1)},
			""},
		{"quick back 2 s", Config{QuickBackMillis: 2000}, []op{page(0, 1), page(10_000, 2), page(13_000, 1)},
			""},
		{"signals of the page left come first", Config{}, []op{page(0, 1), click(1000, 10, 10, 4), click(1100, 10, 10, 4), click(1200, 10, 10, 4), page(1300, 2), page(1400, 1)},
			"rage@1000 el4 n3; quickback@1400 page2"},
		{"excessive scrolling", Config{}, oscillate(1000, 5, 400, 600),
			""}, // the episode is still open
		{"excessive scrolling, ended", Config{}, append(oscillate(1000, 5, 400, 600), at(9000, 't')),
			"scrolling@1400 n5"},
		{"scrolling ended by leaving", Config{}, append(oscillate(1000, 5, 400, 600), at(3500, 'l')),
			"scrolling@1400 n5"},
		{"three reversals", Config{}, append(oscillate(1000, 3, 400, 600), at(9000, 't')),
			""},
		{"small reversals", Config{}, append(oscillate(1000, 8, 200, 40), at(9000, 't')),
			""},
		{"slow reversals", Config{}, append(oscillate(1000, 8, 1100, 600), at(20_000, 't')),
			""},
		{"slow reversals, long window", Config{ScrollMillis: 5000}, append(oscillate(1000, 8, 1100, 600), at(20_000, 't')),
			"scrolling@2100 n8"},
	}
	for _, tt := range tests {
		var d Detector
		d.Reset(tt.cfg)
		if got := show(run_(&d, tt.ops)); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestAcceptance is issue 5's scripted visit: a rage click, a dead click
// and a quick back are each detected exactly once, and a double-click is
// not a rage click.
func TestAcceptance(t *testing.T) {
	var d Detector
	ops := []op{page(0, 1)}
	// A double-click on a word selects it.
	ops = append(ops, click(1000, 300, 200, 1), click(1150, 300, 200, 1), at(1160, 's'))
	// A rage click on a broken "Apply" button: five clicks in 800 ms.
	for i := range int64(5) {
		ops = append(ops, click(3000+i*200, 500+int32(i)*3, 420, 2))
	}
	// A dead click on an image that looks like a link.
	ops = append(ops, click(6000, 100, 700, 3))
	// A link to /pricing, and back 2.5 s later.
	ops = append(ops, click(9000, 800, 50, 4), page(9100, 2), page(11_600, 1), at(30_000, 't'))
	got := run_(&d, ops)
	var kinds []Kind
	for _, g := range got {
		kinds = append(kinds, g.Kind)
	}
	if want := []Kind{RageClick, DeadClick, QuickBack}; !slices.Equal(kinds, want) {
		t.Fatalf("got %s, want one each of rage, dead, quickback", show(got))
	}
	if got[0].El != 2 || got[0].N != 5 || got[1].El != 3 || got[2].Page != 2 {
		t.Errorf("got %s", show(got))
	}
}

func TestTick(t *testing.T) {
	var d Detector
	if d.Tick(0) {
		t.Error("idle: a window is open")
	}
	d.Click(0, 0, 1000, 1, false)
	for _, tt := range []struct {
		now  int64
		open bool
	}{{1000, true}, {1700, true}, {1701, true}, {2000, true}, {2001, false}} {
		if open := d.Tick(tt.now); open != tt.open {
			t.Errorf("at %d: open %v", tt.now, open)
		}
	}
	if g, ok := d.Next(); !ok || g.Kind != DeadClick {
		t.Errorf("no dead click")
	}
}

func TestLost(t *testing.T) {
	var d Detector
	d.Reset(Config{DeadPlain: true})
	for i := range int64(40) {
		d.Click(int32(i)*100, 0, i*2000, 1, true)
		d.Tick(i*2000 + 1500)
	}
	n := 0
	for _, ok := d.Next(); ok; _, ok = d.Next() {
		n++
	}
	if n != maxSignals || d.Lost() != 40-maxSignals {
		t.Errorf("taken %d lost %d", n, d.Lost())
	}
}

func TestConfigDefaults(t *testing.T) {
	want := Config{RageClicks: 3, RageMillis: 700, RageRadius: 30, DeadMillis: 1000, QuickBackMillis: 5000,
		ErrorMillis: 1000, ScrollFlips: 4, ScrollMillis: 3000, ScrollMinPx: 50}
	if got := (Config{}).withDefaults(); got != want {
		t.Errorf("defaults %+v", got)
	}
	if got := (Config{RageClicks: 2, ScrollFlips: 99, RageMillis: -1}).withDefaults(); got.RageClicks != 3 || got.ScrollFlips != maxRun || got.RageMillis != 700 {
		t.Errorf("clamps %+v", got)
	}
}
