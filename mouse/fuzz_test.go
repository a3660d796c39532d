package mouse

import (
	"encoding/binary"
	"testing"
)

// ops reads a fuzz input as operations: an opcode byte, then the int32
// arguments it needs, little-endian; times are the running sum of small
// steps (they may go back: a loader must not, but a clock may).
type ops struct {
	b []byte
	t int64
}

func (o *ops) op() (byte, bool) {
	if len(o.b) == 0 {
		return 0, false
	}
	c := o.b[0]
	o.b = o.b[1:]
	return c, true
}

func (o *ops) i32() int32 {
	if len(o.b) < 4 {
		o.b = nil
		return 0
	}
	v := int32(binary.LittleEndian.Uint32(o.b))
	o.b = o.b[4:]
	return v
}

func (o *ops) time() int64 {
	o.t += int64(int16(o.i32()))
	return o.t
}

func FuzzHeatmap(f *testing.F) {
	f.Add([]byte("\x00\x10\x00\x00\x00\x20\x00\x00\x00\x01\x05\x00\x00\x00\x07\x00\x00\x00"))
	f.Add([]byte("\x04\xff\xff\xff\x7f\x04\x00\x00\x00\x80"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h Heatmap
		o := ops{b: in}
		h.Start(1280, 4000)
		for c, ok := o.op(); ok; c, ok = o.op() {
			box := Box{o.i32() % 5000, o.i32() % 5000, o.i32() % 500, o.i32() % 500}
			switch c % 6 {
			case 0:
				h.Click(o.i32(), o.i32(), uint16(o.i32()), box)
			case 1:
				h.Move(o.i32(), o.i32(), uint16(o.i32()), box)
			case 2:
				h.Reach(o.i32())
			case 3:
				h.Resize(o.i32(), o.i32())
			case 4:
				h.Reset()
			case 5:
				for range 1000 {
					h.Move(box.X, box.Y, uint16(c), box)
				}
			}
			if h.Cells() > MaxCells {
				t.Fatalf("%d cells", h.Cells())
			}
			if n := len(all(&h, nil)); n > MaxEncoded {
				t.Fatalf("encoded %d bytes", n)
			}
		}
	})
}

func FuzzDetector(f *testing.F) {
	f.Add([]byte("\x00\x10\x00\x00\x00\x20\x00\x00\x00\x01\x05\x00\x00\x00\x07\x00\x00\x00"))
	f.Add([]byte("\x06\x01\x00\x00\x00\x07\x02\x00\x00\x00\x06\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var d Detector
		o := ops{b: in}
		if len(in) > 0 {
			d.Reset(Config{RageClicks: int32(in[0] % 10), RageRadius: int32(in[0] % 7), DeadMillis: int32(in[0]) * 7, ScrollFlips: int32(in[0] % 11)})
		}
		for c, ok := o.op(); ok; c, ok = o.op() {
			t := o.time()
			switch c % 9 {
			case 0, 1:
				d.Click(o.i32(), o.i32(), t, uint16(o.i32()), c%2 == 1)
			case 2:
				d.Activity(t)
			case 3:
				d.Select(t)
			case 4:
				d.Error(t)
			case 5:
				d.Page(uint32(o.i32()%4), t)
			case 6:
				d.Leave(t)
			case 7:
				d.Scroll(o.i32(), t)
			case 8:
				d.Tick(t)
			}
			for range c % 3 {
				d.Next()
			}
		}
	})
}

func FuzzBot(f *testing.F) {
	f.Add([]byte("\x00\x10\x00\x00\x00\x20\x00\x00\x00\x10\x00\x00\x00\x01\x05\x00\x00\x00\x07\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		var b Bot
		o := ops{b: in}
		for c, ok := o.op(); ok; c, ok = o.op() {
			switch c % 6 {
			case 0:
				b.Click(o.i32(), o.i32(), o.time(), o.i32())
			case 1:
				b.SliceStart(o.i32(), o.i32(), o.time(), o.i32())
			case 2:
				b.SliceEnd()
			default:
				b.Move(o.i32(), o.i32(), o.time())
			}
			if score, _ := b.Score(); score > 100 {
				t.Fatalf("score %d", score)
			}
		}
	})
}
