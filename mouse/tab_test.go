package mouse

import (
	"strings"
	"testing"
)

// events splits AppendEvents's output into lines of tab-separated fields.
func events(out []byte) [][]string {
	var ev [][]string
	for line := range strings.Lines(string(out)) {
		ev = append(ev, strings.Split(strings.TrimSuffix(line, "\n"), "\t"))
	}
	return ev
}

func TestTabEvents(t *testing.T) {
	var tab Tab
	out := tab.Page(make([]byte, 0, 64<<10), 1, 1280, 1280, 4000, 1000)
	if len(out) != 0 {
		t.Fatalf("first page: %q", out)
	}
	buy := tab.Sel.ID([]byte("#buy"))
	box := Box{X: 100, Y: 200, W: 100, H: 40}
	for i := range 4 {
		tab.Click(Point{PageX: 130, PageY: 230, ClientX: 130, ClientY: 230, El: buy, Box: box}, 2000+int64(i)*100, false, 0, true)
	}
	tab.Scroll(800, 45, 3000)
	out = tab.AppendEvents(out[:0], 5000, false)
	if got := events(out); len(got) != 1 || strings.Join(got[0], " ") != "$rage_click selector #buy count 4" {
		t.Errorf("signals: %q", got)
	}
	out = tab.AppendEvents(out[:0], 5000, true)
	got := events(out)
	if len(got) != 2 || strings.Join(got[0], " ") != "$heatmap vp lg cells c5.5:4,e1.3.7:4,r0:1,r1:1,r2:1,r3:1,r4:1 s1 #buy" ||
		got[1][0] != "$bot" || got[1][1] != "score" || got[1][3] != "reasons" {
		t.Errorf("heatmap and bot: %q", got)
	}
	if out = tab.AppendEvents(out[:0], 6000, true); len(out) != 0 {
		t.Errorf("nothing new: %q", out)
	}
	// A single-page app goes to page 2 and comes back: a quick back,
	// written when the page changes, with the page left briefly.
	out = tab.Page(out[:0], 2, 1280, 1280, 4000, 7000)
	out = tab.Page(out, 1, 1280, 1280, 4000, 8000)
	if got := events(out); len(got) != 1 || strings.Join(got[0], " ") != "$quick_back page 2" {
		t.Errorf("quick back: %q", got)
	}
}

// TestTabHeatmapParts: a full table goes out in events whose cells fit a
// prop value and whose props fit an event, each naming the selectors its
// cells use.
func TestTabHeatmapParts(t *testing.T) {
	var tab Tab
	tab.Page(nil, 1, 1920, 1920, 9000, 0)
	for i := range int32(MaxCells) {
		sel := []byte(strings.Repeat("x", MaxSelector-3) + string(rune('A'+i%60)))
		el := tab.Sel.ID(sel)
		tab.Move(Point{PageX: i * 37 % 1920, PageY: i * 91 % 9000, El: el, Box: Box{X: 0, Y: 0, W: 1920, H: 9000}}, int64(i)*17, false, 0, 0)
	}
	out := tab.AppendEvents(make([]byte, 0, 64<<10), 10_000, true)
	ev := events(out)
	cells := 0
	for _, e := range ev {
		if e[0] != "$heatmap" || len(e)%2 != 1 || (len(e)-1)/2 > 30 || len(e[4]) > 256 {
			t.Fatalf("event %q: %d props, cells of %d bytes", e[0], (len(e)-1)/2, len(e[4]))
		}
		named := map[string]bool{}
		for i := 5; i+1 < len(e); i += 2 {
			named[e[i][1:]] = true
		}
		for tok := range strings.SplitSeq(e[4], ",") {
			cells++
			if tok[0] == 'n' && !named[strings.SplitN(tok[1:], ".", 2)[0]] {
				t.Errorf("token %s: its selector is not in the event", tok)
			}
		}
	}
	if cells < MaxCells {
		t.Errorf("%d cells written in %d events", cells, len(ev))
	}
	t.Logf("%d cells in %d events, %d bytes", cells, len(ev), len(out))
}

// TestTabMovesAtMostOneAFrame: a movement sample less than MinMoveMillis
// after the last one taken is dropped.
func TestTabMovesAtMostOneAFrame(t *testing.T) {
	var tab Tab
	tab.Page(nil, 1, 1280, 1280, 1000, 0)
	for i := range int64(30) { // every 4 ms: one in two is taken
		tab.Move(Point{PageX: 10, PageY: 10, ClientX: 10, ClientY: 10}, 1000+4*i, true, 0, 0)
	}
	out := tab.AppendEvents(make([]byte, 0, 64<<10), 2000, true)
	if got := events(out); len(got) != 2 || strings.Join(got[0], " ") != "$heatmap vp lg cells m0.1:15" {
		t.Errorf("events: %q", got)
	}
}

// TestTabSliceMarks: a slice's marks reach the Bot, the last one even
// when its sample is dropped (less than MinMoveMillis after the last).
func TestTabSliceMarks(t *testing.T) {
	var tab Tab
	tab.Page(nil, 1, 1280, 1280, 1000, 0)
	tab.Move(Point{ClientX: 10, ClientY: 10}, 1000, true, 0, 0)
	tab.Move(Point{ClientX: 300, ClientY: 10}, 3000, true, SliceFirst, 40)
	if tab.Bot.slices != 1 || !tab.Bot.unseen || tab.Bot.pauses != 0 || tab.Bot.jumped {
		t.Errorf("a slice's first sample: %d slices, unseen %v, %v pauses, jumped %v", tab.Bot.slices, tab.Bot.unseen, tab.Bot.pauses, tab.Bot.jumped)
	}
	tab.Move(Point{ClientX: 310, ClientY: 10}, 3016, true, 0, 0)
	tab.Move(Point{ClientX: 311, ClientY: 10}, 3020, true, SliceLast, 0) // dropped
	if !tab.Bot.ended || tab.Bot.x != 310 {
		t.Errorf("the dropped last sample: ended %v, at x %d", tab.Bot.ended, tab.Bot.x)
	}
	// The next slice opened at once (a tick right after the last sample):
	// its first sample is taken although within MinMoveMillis.
	tab.Move(Point{ClientX: 600, ClientY: 10}, 3022, true, SliceFirst, 0)
	if tab.Bot.slices != 2 || !tab.Bot.unseen || tab.Bot.x != 600 || tab.Bot.pauses != 0 {
		t.Errorf("a slice's first sample within MinMoveMillis: %d slices, unseen %v, at x %d, %v pauses",
			tab.Bot.slices, tab.Bot.unseen, tab.Bot.x, tab.Bot.pauses)
	}
}
