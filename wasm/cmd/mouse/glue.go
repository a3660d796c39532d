//go:build tinygo

package main

import (
	"unsafe"

	"github.com/crumbless/crumbless/mouse"
)

// outBytes holds the events of one call: a whole heatmap flush (at most
// mouse.MaxCells tokens, in parts with their selectors) and the signals.
const outBytes = 64 << 10

// The pointer records of kind 4: at most maxRecords of recordLen numbers
// each (see main.go).
const (
	recordLen  = 12
	maxRecords = 64
)

var (
	tab mouse.Tab
	// io is the buffer mouse_io points to (offsets in main.go): what the
	// script writes, a selector (kind 0) and pointer records (kind 4), then
	// what the module writes, the events.
	io struct {
		sel     [256]byte
		records [maxRecords][recordLen]int32
		out     [outBytes]byte
	}
)

//export mouse_io
func mouseIO() unsafe.Pointer { return unsafe.Pointer(&io) }

//export mouse_feed
func mouseFeed(kind, now, a, b, c, d int32) int32 {
	t := int64(now)
	out := io.out[:0]
	switch kind {
	case 0:
		return int32(tab.Sel.ID(io.sel[:min(uint32(a), uint32(len(io.sel)))]))
	case 1:
		out = tab.Page(out, uint32(a), b, c, d, t)
	case 2:
		out = tab.Leave(out, t)
	case 3:
		out = tab.AppendEvents(out, t, a == 1)
	case 4: // movement at its own time, a click at its time
		for i := range min(a, maxRecords) {
			r := &io.records[i]
			p := mouse.Point{PageX: r[1], PageY: r[2], ClientX: r[3], ClientY: r[4], El: uint16(r[5]),
				Box: mouse.Box{X: r[6], Y: r[7], W: r[8], H: r[9]}}
			if rt := int64(r[0]); r[10]&2 != 0 {
				tab.Click(p, rt, r[10]&4 != 0, r[11], r[10]&1 != 0)
			} else {
				tab.Move(p, rt, r[10]&1 != 0, mouse.Slice(r[10]>>3&3), r[11])
			}
		}
	case 6:
		tab.Scroll(a, b, t)
	case 7:
		tab.Det.Activity(t)
	case 8:
		tab.Det.Select(t)
	case 9:
		tab.Det.Error(t)
	case 10:
		tab.Heat.Resize(a, b)
	}
	return int32(len(out))
}
