package heatmap

import (
	"errors"
	"fmt"
	"strconv"
)

// Cell is one cell of a layer and its count. For click and move, X is the
// column (0–49) and Y the row (0–99); for scroll, X is 0 and Y the bucket
// (0–9); for target, X and Y are the position in the element's box in
// tenths (0–9).
type Cell struct {
	X, Y  uint8
	Count uint32
}

// ErrBadCells is what every cells error wraps.
var ErrBadCells = errors.New("bad heatmap cells")

// CellsError says where a cells text is wrong and why.
type CellsError struct {
	Offset int // byte offset in the text
	Reason string
}

func (e *CellsError) Error() string {
	return fmt.Sprintf("bad heatmap cells at byte %d: %s", e.Offset, e.Reason)
}

func (e *CellsError) Unwrap() error { return ErrBadCells }

func cellsError(off int, format string, args ...any) error {
	return &CellsError{Offset: off, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks a layer's cells text and returns how many cells it
// lists. The text is a comma-separated list of cells, each "col.row:count"
// (click, move, target) or "bucket:count" (scroll):
//
//	3.12:2,4.12:1      scroll: 0:5,1:5,2:3
//
// Numbers are decimal without sign or leading zeros; positions lie within
// the layer's Size; counts are 1 to MaxCount (a cell with no count is left
// out); no cell appears twice; the text is at most MaxCellsLen bytes. The
// empty text is valid and lists no cell. Validate allocates only for an
// error.
func Validate(l Layer, text []byte) (int, error) {
	_, n, err := decode(l, text, nil, false)
	return n, err
}

// AppendCells validates text like Validate and appends its cells to dst.
// On error it returns dst unchanged. With a warm dst it allocates nothing.
func AppendCells(dst []Cell, l Layer, text []byte) ([]Cell, error) {
	out, _, err := decode(l, text, dst, true)
	if err != nil {
		return dst, err
	}
	return out, nil
}

// AppendText appends cells in the text form Validate reads. Cells must be
// within l's Size with counts 1 to MaxCount, each once.
func AppendText(dst []byte, l Layer, cells []Cell) []byte {
	for i, c := range cells {
		if i > 0 {
			dst = append(dst, ',')
		}
		if l != LayerScroll {
			dst = strconv.AppendUint(dst, uint64(c.X), 10)
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(c.Y), 10)
		dst = append(dst, ':')
		dst = strconv.AppendUint(dst, uint64(c.Count), 10)
	}
	return dst
}

// decode parses text; with keep, it appends the cells to dst.
func decode(l Layer, text []byte, dst []Cell, keep bool) ([]Cell, int, error) {
	cols, rows := l.Size()
	if cols == 0 {
		return dst, 0, cellsError(0, "unknown layer")
	}
	if len(text) > MaxCellsLen {
		return dst, 0, cellsError(MaxCellsLen, "longer than %d bytes", MaxCellsLen)
	}
	var seen [(GridCols*GridRows + 63) / 64]uint64
	n := 0
	for i := 0; i < len(text); {
		c, next, err := decodeCell(l, text, i, cols, rows)
		if err != nil {
			return dst, 0, err
		}
		bit := int(c.Y)*cols + int(c.X)
		if seen[bit/64]&(1<<(bit%64)) != 0 {
			return dst, 0, cellsError(i, "cell %s appears twice", position(l, c))
		}
		seen[bit/64] |= 1 << (bit % 64)
		n++
		if keep {
			dst = append(dst, c)
		}
		if i = next; i == len(text) {
			break
		}
		if text[i] != ',' {
			return dst, 0, cellsError(i, "expected ',' between cells, found %q", text[i])
		}
		if i++; i == len(text) {
			return dst, 0, cellsError(i, "a comma ends the text")
		}
	}
	return dst, n, nil
}

// position returns a cell's position as the text writes it.
func position(l Layer, c Cell) string {
	if l == LayerScroll {
		return strconv.Itoa(int(c.Y))
	}
	return strconv.Itoa(int(c.X)) + "." + strconv.Itoa(int(c.Y))
}

// decodeCell parses one cell at text[i:] and returns it and the offset
// after it.
func decodeCell(l Layer, text []byte, i, cols, rows int) (Cell, int, error) {
	var c Cell
	if l != LayerScroll {
		x, next, err := number(text, i, cols-1, "column")
		if err != nil {
			return c, 0, err
		}
		if next == len(text) || text[next] != '.' {
			return c, 0, cellsError(next, "expected '.' after the column")
		}
		c.X, i = uint8(x), next+1
	}
	y, next, err := number(text, i, rows-1, rowName(l))
	if err != nil {
		return c, 0, err
	}
	if next == len(text) || text[next] != ':' {
		return c, 0, cellsError(next, "expected ':' before the count")
	}
	count, next, err := number(text, next+1, MaxCount, "count")
	if err != nil {
		return c, 0, err
	}
	if count == 0 {
		return c, 0, cellsError(next-1, "count 0: cells without a count are left out")
	}
	c.Y, c.Count = uint8(y), uint32(count)
	return c, next, nil
}

func rowName(l Layer) string {
	if l == LayerScroll {
		return "bucket"
	}
	return "row"
}

// number parses a decimal number of at most 6 digits, without leading
// zeros, at most max.
func number(text []byte, i, max int, what string) (int, int, error) {
	start, v := i, 0
	for i < len(text) && isDigit(text[i]) {
		if i-start == 6 {
			return 0, 0, cellsError(start, "%s has too many digits", what)
		}
		v = v*10 + int(text[i]-'0')
		i++
	}
	switch {
	case i == start:
		return 0, 0, cellsError(start, "expected a digit (the %s)", what)
	case i-start > 1 && text[start] == '0':
		return 0, 0, cellsError(start, "%s has a leading zero", what)
	case v > max:
		return 0, 0, cellsError(start, "%s %d is over %d", what, v, max)
	}
	return v, i, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
