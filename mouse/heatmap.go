package mouse

import (
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/internal/buf"
)

// The heatmap's grid and table sizes.
const (
	Cols         = 50  // grid columns: pageX / document width
	Rows         = 100 // grid rows: pageY / document height
	Tenths       = 10  // an element's box is cut into Tenths × Tenths cells
	ReachBuckets = 10  // scroll reach in tenths of the document's height
	MaxCells     = 256 // distinct cells one flush holds; more are Dropped
	MaxCount     = 65535

	// MaxEncoded bounds what Append writes: MaxCells of the longest token,
	// "e65535.9.9:65535,", the reach tokens and the dropped count "x:65535".
	MaxEncoded = MaxCells*17 + ReachBuckets*5 + 13

	slotBits = 9 // the index has 1<<slotBits slots, twice MaxCells
	slots    = 1 << slotBits
)

// Cell layers: the letter that starts a cell's token in Append's output.
const (
	layerClick   = iota // c: a click on the document grid
	layerMove           // m: a movement sample on the document grid
	layerElClick        // e: a click in an element's box
	layerElMove         // n: a movement sample in an element's box
)

var layerLetters = [4]byte{'c', 'm', 'e', 'n'}

// Box is an element's border box in document coordinates (CSS pixels):
// getBoundingClientRect plus the scroll offsets.
type Box struct{ X, Y, W, H int32 }

type cell struct {
	key   uint32 // layer<<30 | element<<14 | a<<7 | b
	count uint16
}

// Heatmap aggregates the clicks, movement and scroll reach of one page
// view into counts per cell, in fixed memory. The zero value is ready; call
// Start for each page view. It is not safe for concurrent use.
type Heatmap struct {
	docW, docH int32
	cells      [MaxCells]cell // in the order they were first seen
	n          int            // cells in use
	index      [slots]uint16  // open addressing: cell index+1, 0 empty
	dropped    uint16         // samples whose cell did not fit, saturating
	reach      int8           // buckets reached in this view (deepest+1)
	sent       int8           // buckets already encoded
}

// Start begins a page view of a document docW × docH CSS pixels, clearing
// everything, the scroll reach included.
func (h *Heatmap) Start(docW, docH int32) {
	h.Reset()
	h.reach, h.sent = 0, 0
	h.Resize(docW, docH)
}

// Resize takes the document's new size (scrollWidth, scrollHeight); grid
// cells are relative to it. A size of 0 or less disables the grid.
func (h *Heatmap) Resize(docW, docH int32) { h.docW, h.docH = docW, docH }

// Click counts a click at pageX, pageY on the grid and, when el is not 0
// (an id from Selectors) and box is not empty, in el's box.
func (h *Heatmap) Click(x, y int32, el uint16, box Box) { h.sample(layerClick, x, y, el, box) }

// Move counts a movement sample (at most one per animation frame) at pageX,
// pageY on the grid and, when el is not 0, in el's box.
func (h *Heatmap) Move(x, y int32, el uint16, box Box) { h.sample(layerMove, x, y, el, box) }

func (h *Heatmap) sample(layer uint32, x, y int32, el uint16, box Box) {
	if h.docW > 0 && h.docH > 0 {
		h.add(layer<<30 | part(x, 0, h.docW, Cols)<<7 | part(y, 0, h.docH, Rows))
	}
	if el != 0 && box.W > 0 && box.H > 0 {
		h.add((layer+2)<<30 | uint32(el)<<14 | part(x, box.X, box.W, Tenths)<<7 | part(y, box.Y, box.H, Tenths))
	}
}

// part is the part of size, in n parts from lo, that v falls in, clamped
// to 0..n-1.
func part(v, lo, size, n int32) uint32 {
	p := int64(v-lo) * int64(n) / int64(size)
	return uint32(min(max(p, 0), int64(n-1)))
}

// Reach takes the bottom of the viewport in percent of the document's
// height (the deepest point seen); each tenth reached counts once per view.
func (h *Heatmap) Reach(percent int32) {
	b := int8(min(max(percent, 0), 100) * ReachBuckets / 100)
	h.reach = max(h.reach, min(b+1, ReachBuckets))
}

// add counts one sample in the cell key, saturating at MaxCount.
func (h *Heatmap) add(key uint32) {
	i := key * 0x9E3779B1 >> (32 - slotBits)
	for ; h.index[i] != 0; i = (i + 1) & (slots - 1) {
		if c := &h.cells[h.index[i]-1]; c.key == key {
			c.count = inc16(c.count)
			return
		}
	}
	if h.n == MaxCells {
		h.dropped = inc16(h.dropped)
		return
	}
	h.cells[h.n] = cell{key, 1}
	h.n++
	h.index[i] = uint16(h.n)
}

// Cells is the number of distinct cells held; Dropped the samples lost
// because the table was full.
func (h *Heatmap) Cells() int   { return h.n }
func (h *Heatmap) Dropped() int { return int(h.dropped) }

// Append appends the counts since the last Reset to dst as
// comma-separated tokens, from the token from on, as many whole tokens as
// fit in limit bytes (MaxEncoded: all of them; the longest token is 16
// bytes), and returns the index of the first token it did not write:
// Tokens when it wrote the last. A flush larger than one event's field
// goes out in parts: Append(dst, 0, n), then from where it stopped. The
// tokens, cells in the order they were first seen, then scroll reach,
// then what was dropped:
//
//	c12.40:3     3 clicks in grid column 12, row 40
//	m12.40:7     7 movement samples in that grid cell
//	e5.3.7:2     2 clicks in element 5's box, 3 tenths across, 7 down
//	n5.3.7:9     9 movement samples there
//	r4:1         the view reached scroll bucket 4 (40–49 %) since the last flush
//	x:17         17 samples dropped: the table was full
//
// dst needs limit+16 bytes of spare capacity (a token is written, then
// taken back when it went past limit).
func (h *Heatmap) Append(dst []byte, from, limit int) ([]byte, int) {
	start, n := len(dst), h.Tokens()
	for i := from; i < n; i++ {
		mark := len(dst)
		if dst = h.appendToken(sep(dst, start), i); len(dst)-start > limit {
			return dst[:mark], i
		}
	}
	return dst, n
}

// Tokens is the number of tokens Append writes in all.
func (h *Heatmap) Tokens() int {
	n := h.n + int(h.reach-h.sent)
	if h.dropped > 0 {
		n++
	}
	return n
}

func (h *Heatmap) appendToken(dst []byte, i int) []byte {
	if i < h.n {
		return appendCell(dst, h.cells[i])
	}
	if b := i - h.n + int(h.sent); b < int(h.reach) {
		return buf.String(consent.AppendInt(buf.Bytes(dst, 'r'), int64(b)), ":1")
	}
	return consent.AppendInt(buf.String(dst, "x:"), int64(h.dropped))
}

func appendCell(dst []byte, c cell) []byte {
	layer := c.key >> 30
	dst = buf.Bytes(dst, layerLetters[layer])
	if layer >= layerElClick {
		dst = buf.Bytes(consent.AppendInt(dst, int64(c.key>>14&0xffff)), '.')
	}
	dst = consent.AppendInt(dst, int64(c.key>>7&0x7f))
	dst = consent.AppendInt(buf.Bytes(dst, '.'), int64(c.key&0x7f))
	return consent.AppendInt(buf.Bytes(dst, ':'), int64(c.count))
}

// sep appends a comma unless dst is still at start.
func sep(dst []byte, start int) []byte {
	if len(dst) > start {
		return buf.Bytes(dst, ',')
	}
	return dst
}

// Reset clears the counts after a flush; the view goes on (its document
// size stays, and scroll buckets already encoded are not encoded again).
func (h *Heatmap) Reset() {
	h.n, h.dropped, h.sent = 0, 0, h.reach
	h.index = [slots]uint16{}
}

// inc16 adds one to n, saturating at MaxCount.
func inc16(n uint16) uint16 {
	if n < MaxCount {
		n++
	}
	return n
}
