package mouse

import (
	"fmt"
	"strings"
	"testing"
)

func TestGrid(t *testing.T) {
	tests := []struct {
		x, y, w, h int32
		want       string
	}{
		{0, 0, 1280, 4000, "c0.0:1"},
		{1279, 3999, 1280, 4000, "c49.99:1"},
		{640, 2000, 1280, 4000, "c25.50:1"},
		{-5, -5, 1280, 4000, "c0.0:1"},       // outside: clamped to the edge
		{9000, 9000, 1280, 4000, "c49.99:1"}, // outside: clamped to the edge
		{25, 39, 1280, 4000, "c0.0:1"},       // 25/1280*50 = 0.97
		{26, 40, 1280, 4000, "c1.1:1"},       // 26/1280*50 = 1.02, 40/4000*100 = 1
		{100, 100, 0, 0, ""},                 // no document size: no grid
		{2147483647, -2147483648, 1, 1, "c49.0:1"},
	}
	for _, tt := range tests {
		var h Heatmap
		h.Start(tt.w, tt.h)
		h.Click(tt.x, tt.y, 0, Box{})
		if got := string(all(&h, nil)); got != tt.want {
			t.Errorf("click at %d,%d in %dx%d: %q, want %q", tt.x, tt.y, tt.w, tt.h, got, tt.want)
		}
	}
}

// layout places the page's sign-up button at a viewport width the way a
// centred, responsive page does: a container at most 1200 px wide (1600
// px at 4K, where the button grows too), and a document as tall as its
// text reflows.
func layout(viewport int32) (docW, docH int32, button Box) {
	container, bw := min(viewport-80, 1200), int32(220)
	if viewport >= 3000 {
		container, bw = 1600, 330
	}
	left := (viewport - container) / 2
	docH = 9_000_000 / container
	return viewport, docH, Box{X: left + 140, Y: docH / 3, W: bw, H: bw / 5}
}

// TestSameElementSameCell is issue 5's acceptance: a click at the same place
// on the same element lands in the same element cell at 1280, 1920 and
// 3840 px wide viewports, although its grid cell moves.
func TestSameElementSameCell(t *testing.T) {
	var sel Selectors
	cells := map[string]int32{}
	grids := map[string]bool{}
	for _, vw := range []int32{1280, 1920, 3840} {
		sel.Reset()
		id := sel.ID([]byte("main>form#signup>button:nth-of-type(1)"))
		docW, docH, b := layout(vw)
		var h Heatmap
		h.Start(docW, docH)
		x, y := b.X+b.W*37/100, b.Y+b.H*62/100 // 37 % across, 62 % down the button
		h.Click(x, y, id, b)
		tokens := strings.Split(string(all(&h, nil)), ",")
		if len(tokens) != 2 {
			t.Fatalf("at %d px: %q, want a grid and an element cell", vw, tokens)
		}
		grids[tokens[0]] = true
		if _, ok := cells[tokens[1]]; !ok && len(cells) > 0 {
			t.Errorf("at %d px the element cell is %s, before %v", vw, tokens[1], cells)
		}
		cells[tokens[1]] = vw
		t.Logf("%4d px: grid %s, element %s", vw, tokens[0], tokens[1])
	}
	if _, ok := cells["e1.3.6:1"]; !ok || len(cells) != 1 {
		t.Errorf("element cells %v, want e1.3.6:1 only", cells)
	}
	if len(grids) == 1 {
		t.Errorf("grid cells %v: the layout did not move the button", grids)
	}
}

func TestElementTenths(t *testing.T) {
	b := Box{X: 100, Y: 200, W: 50, H: 20}
	tests := []struct {
		x, y int32
		want string
	}{
		{100, 200, "e7.0.0:1"},
		{149, 219, "e7.9.9:1"},
		{125, 210, "e7.5.5:1"},
		{90, 250, "e7.0.9:1"}, // outside the box: clamped (the pointer was over a child that overflows)
	}
	for _, tt := range tests {
		var h Heatmap
		h.Click(tt.x, tt.y, 7, b) // no document size: the element layer alone
		if got := string(all(&h, nil)); got != tt.want {
			t.Errorf("click at %d,%d: %q, want %q", tt.x, tt.y, got, tt.want)
		}
	}
	var h Heatmap
	h.Click(1, 1, 0, b)     // no element
	h.Click(1, 1, 3, Box{}) // an empty box
	if got := all(&h, nil); len(got) != 0 {
		t.Errorf("no element: %q", got)
	}
}

func TestAppend(t *testing.T) {
	var h Heatmap
	h.Start(1000, 1000)
	h.Move(10, 10, 0, Box{})
	h.Move(15, 12, 0, Box{})
	h.Click(500, 990, 2, Box{X: 400, Y: 980, W: 200, H: 20})
	h.Move(505, 991, 2, Box{X: 400, Y: 980, W: 200, H: 20})
	h.Reach(45)
	want := "m0.1:2,c25.99:1,e2.5.5:1,m25.99:1,n2.5.5:1,r0:1,r1:1,r2:1,r3:1,r4:1"
	if got := string(all(&h, nil)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	h.Reset()
	if got := string(all(&h, []byte("keep"))); got != "keep" {
		t.Errorf("after Reset: %q", got)
	}
	h.Reach(30) // not deeper: nothing new
	h.Reach(100)
	if got := string(all(&h, nil)); got != "r5:1,r6:1,r7:1,r8:1,r9:1" {
		t.Errorf("deeper after Reset: %q", got)
	}
	h.Start(1000, 1000)
	h.Reach(0)
	if got := string(all(&h, nil)); got != "r0:1" {
		t.Errorf("new view: %q", got)
	}
}

func TestSaturation(t *testing.T) {
	var h Heatmap
	h.Start(1000, 1000)
	for range MaxCount + 10 {
		h.Click(1, 1, 0, Box{})
	}
	if got := string(all(&h, nil)); got != fmt.Sprintf("c0.0:%d", MaxCount) {
		t.Errorf("got %s", got)
	}
}

func TestFullTable(t *testing.T) {
	var h Heatmap
	h.Start(Cols, Rows)
	for i := range int32(MaxCells + 100) {
		h.Move(i%Cols, i/Cols, 0, Box{})
	}
	h.Move(0, 0, 0, Box{}) // a known cell still counts
	if h.Cells() != MaxCells || h.Dropped() != 100 {
		t.Fatalf("cells %d dropped %d", h.Cells(), h.Dropped())
	}
	out := string(all(&h, nil))
	if !strings.HasPrefix(out, "m0.0:2,m1.0:1,") || !strings.HasSuffix(out, ",x:100") {
		t.Errorf("got %s…%s", out[:20], out[len(out)-20:])
	}
	h.Reset()
	if h.Cells() != 0 || h.Dropped() != 0 || len(all(&h, nil)) != 0 {
		t.Errorf("Reset left cells %d dropped %d", h.Cells(), h.Dropped())
	}
	h.Move(3, 3, 0, Box{})
	if got := string(all(&h, nil)); got != "m3.3:1" {
		t.Errorf("after Reset: %s", got)
	}
}

// TestMaxEncoded fills the table with the longest tokens.
func TestMaxEncoded(t *testing.T) {
	var h Heatmap
	for i := range MaxCells {
		el := uint16(MaxCount - i)
		for range MaxCount {
			h.Click(9, 9, el, Box{W: 10, H: 10})
		}
	}
	for range MaxCount + 1 {
		h.Click(0, 0, 1, Box{W: 10, H: 10})
	}
	h.Reach(100)
	n := len(all(&h, nil))
	if n > MaxEncoded {
		t.Errorf("encoded %d bytes, more than MaxEncoded %d", n, MaxEncoded)
	}
	t.Logf("longest encoding %d bytes, MaxEncoded %d", n, MaxEncoded)
}

func TestSelectors(t *testing.T) {
	var s Selectors
	a, b := s.ID([]byte("#a")), s.ID([]byte("#b"))
	if a != 1 || b != 2 || s.ID([]byte("#a")) != 1 || s.Len() != 2 {
		t.Fatalf("ids %d %d, len %d", a, b, s.Len())
	}
	if string(s.Get(2)) != "#b" || s.Get(0) != nil || s.Get(3) != nil {
		t.Errorf("Get: %q %q %q", s.Get(2), s.Get(0), s.Get(3))
	}
	if s.ID(nil) != 0 {
		t.Error("an empty selector has an id")
	}
	long := []byte(strings.Repeat("x", 500))
	id := s.ID(long)
	if len(s.Get(id)) != MaxSelector || s.ID(long[:MaxSelector]) != id {
		t.Errorf("a long selector is not cut to MaxSelector")
	}
	for i := s.Len(); i < MaxSelectors; i++ {
		if s.ID(fmt.Appendf(nil, "#n%d", i)) == 0 {
			t.Fatalf("selector %d refused", i)
		}
	}
	if s.ID([]byte("#one-more")) != 0 || s.ID([]byte("#a")) != 1 {
		t.Errorf("a full table")
	}
	s.Reset()
	if s.ID([]byte("#z")) != 1 {
		t.Errorf("after Reset")
	}
	var arena Selectors
	for i := range MaxSelectors {
		id := arena.ID(fmt.Appendf(nil, "%0*d", MaxSelector, i))
		if want := i < selectorBytes/MaxSelector; (id != 0) != want {
			t.Errorf("selector %d: id %d", i, id)
		}
	}
}

// all appends every token of h to dst.
func all(h *Heatmap, dst []byte) []byte {
	dst, _ = h.Append(dst, 0, MaxEncoded)
	return dst
}

// TestAppendParts cuts a flush into parts of at most 40 bytes, which
// together are the whole.
func TestAppendParts(t *testing.T) {
	var h Heatmap
	h.Start(Cols, Rows)
	for i := range int32(MaxCells + 3) {
		h.Click(i%Cols, i/Cols, uint16(i%7), Box{W: 10, H: 10})
	}
	h.Reach(35)
	whole := string(all(&h, nil))
	var parts []string
	for from, n := 0, 0; from < h.Tokens(); n++ {
		var part []byte
		part, from = h.Append(nil, from, 40)
		if len(part) > 40 || len(part) == 0 {
			t.Fatalf("part %d: %q", n, part)
		}
		parts = append(parts, string(part))
	}
	if strings.Join(parts, ",") != whole {
		t.Errorf("parts %q\nwhole %q", parts, whole)
	}
	if out, next := h.Append([]byte("k"), 0, 3); string(out) != "k" || next != 0 {
		t.Errorf("nothing fits: %q, next %d", out, next)
	}
	t.Logf("%d tokens, %d bytes, %d parts of at most 40 bytes", h.Tokens(), len(whole), len(parts))
}
