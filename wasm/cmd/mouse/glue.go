//go:build tinygo

package main

import (
	"unsafe"

	"github.com/crumbless/crumbless/mouse"
)

// outBytes holds the events of one call: a whole heatmap flush (at most
// mouse.MaxCells tokens, in parts with their selectors) and the signals.
const outBytes = 64 << 10

var (
	tab    mouse.Tab
	input  [256]byte
	output [outBytes]byte
)

//export mouse_in
func mouseIn() unsafe.Pointer { return unsafe.Pointer(&input) }

//export mouse_out
func mouseOut() unsafe.Pointer { return unsafe.Pointer(&output) }

//export mouse_feed
func mouseFeed(kind int32, now float64, a, b, c, d, e, f, g, h, i, j, k, l int32) int32 {
	t := int64(now)
	out := output[:0]
	p := mouse.Point{PageX: a, PageY: b, ClientX: c, ClientY: d, El: uint16(e), Box: mouse.Box{X: f, Y: g, W: h, H: i}}
	switch kind {
	case 1:
		out = tab.Page(out, uint32(a), b, c, d, t)
	case 2:
		out = tab.Leave(out, t)
	case 3:
		out = tab.AppendEvents(out, t, a == 1)
	case 4:
		tab.Move(p, t, j == 1)
	case 5:
		tab.Click(p, t, k == 1, l, j == 1)
	case 6:
		tab.Scroll(a, b, t)
	case 7:
		tab.Det.Activity(t)
	case 8:
		tab.Det.Select(t)
	case 9:
		tab.Det.Error(t)
	case 10:
		tab.Heat.Resize(c, d)
	case 11:
		return int32(tab.Sel.ID(input[:min(max(a, 0), int32(len(input)))]))
	}
	return int32(len(out))
}
