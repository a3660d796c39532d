package heatmap

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAppendCellsValid(t *testing.T) {
	for _, tc := range []struct {
		layer Layer
		text  string
		want  []Cell
	}{
		{LayerClick, "", nil},
		{LayerClick, "0.0:1", []Cell{{0, 0, 1}}},
		{LayerClick, "3.12:2,49.99:65535", []Cell{{3, 12, 2}, {49, 99, 65535}}},
		{LayerMove, "10.20:7,11.20:1", []Cell{{10, 20, 7}, {11, 20, 1}}},
		{LayerScroll, "0:5,1:5,9:1", []Cell{{0, 0, 5}, {0, 1, 5}, {0, 9, 1}}},
		{LayerTarget, "0.0:1,9.9:3", []Cell{{0, 0, 1}, {9, 9, 3}}},
	} {
		got, err := AppendCells(nil, tc.layer, []byte(tc.text))
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s %q: %v, %v; want %v", tc.layer, tc.text, got, err, tc.want)
		}
		if n, err := Validate(tc.layer, []byte(tc.text)); err != nil || n != len(tc.want) {
			t.Errorf("Validate(%s, %q) = %d, %v", tc.layer, tc.text, n, err)
		}
		if back := string(AppendText(nil, tc.layer, got)); back != tc.text {
			t.Errorf("AppendText(%v) = %q, want %q", got, back, tc.text)
		}
	}
}

func TestAppendCellsInvalid(t *testing.T) {
	for _, tc := range []struct {
		layer  Layer
		text   string
		offset int
		reason string
	}{
		{LayerUnknown, "1.1:1", 0, "unknown layer"},
		{LayerClick, "50.0:1", 0, "column 50 is over 49"},
		{LayerClick, "0.100:1", 2, "row 100 is over 99"},
		{LayerClick, "1.1:65536", 4, "count 65536 is over 65535"},
		{LayerClick, "1.1:0", 4, "count 0: cells without a count are left out"},
		{LayerClick, "1.1:1,1.1:2", 6, "cell 1.1 appears twice"},
		{LayerClick, "1.1:1,", 6, "a comma ends the text"},
		{LayerClick, "1.1:1;2.2:1", 5, "expected ',' between cells"},
		{LayerClick, "1:1", 1, "expected '.' after the column"},
		{LayerClick, "1.1", 3, "expected ':' before the count"},
		{LayerClick, "01.1:1", 0, "column has a leading zero"},
		{LayerClick, "1.1:0000001", 4, "count has too many digits"},
		{LayerClick, "-1.1:1", 0, "expected a digit (the column)"},
		{LayerClick, " 1.1:1", 0, "expected a digit"},
		{LayerScroll, "10:1", 0, "bucket 10 is over 9"},
		{LayerScroll, "1.1:1", 1, "expected ':' before the count"},
		{LayerScroll, "3:1,3:1", 4, "cell 3 appears twice"},
		{LayerTarget, "10.0:1", 0, "column 10 is over 9"},
		{LayerClick, strings.Repeat("1", MaxCellsLen+1), MaxCellsLen, "longer than 65536 bytes"},
	} {
		dst := []Cell{{1, 2, 3}}
		got, err := AppendCells(dst, tc.layer, []byte(tc.text))
		var ce *CellsError
		if !errors.As(err, &ce) || !errors.Is(err, ErrBadCells) || ce.Offset != tc.offset || !strings.Contains(ce.Reason, tc.reason) {
			t.Errorf("%s %q: err = %v, want %q at %d", tc.layer, tc.text, err, tc.reason, tc.offset)
		}
		if len(got) != 1 {
			t.Errorf("%s %q: dst changed on error: %v", tc.layer, tc.text, got)
		}
		if _, verr := Validate(tc.layer, []byte(tc.text)); verr == nil {
			t.Errorf("Validate(%s, %q) accepted it", tc.layer, tc.text)
		}
	}
}

func TestWholeGridFits(t *testing.T) {
	var cells []Cell
	for y := range GridRows {
		for x := range GridCols {
			cells = append(cells, Cell{uint8(x), uint8(y), 1})
		}
	}
	text := AppendText(nil, LayerMove, cells)
	if n, err := Validate(LayerMove, text); err != nil || n != GridCols*GridRows {
		t.Errorf("the whole grid (%d bytes): %d cells, %v", len(text), n, err)
	}
}

func TestEventValidate(t *testing.T) {
	ok := Event{Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("click"), Cells: []byte("1.2:3")}
	if n, err := ok.Validate(); err != nil || n != 1 {
		t.Errorf("valid event: %d, %v", n, err)
	}
	target := Event{Path: []byte("/"), Viewport: []byte("xs"), Layer: []byte("target"), Selector: []byte("#buy"), Cells: []byte("5.5:1")}
	if _, err := target.Validate(); err != nil {
		t.Errorf("valid target event: %v", err)
	}
	for want, e := range map[string]Event{
		"without a path":              {Viewport: []byte("lg"), Layer: []byte("click")},
		`viewport "huge"`:             {Path: []byte("/"), Viewport: []byte("huge"), Layer: []byte("click")},
		`layer "wobble"`:              {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("wobble")},
		"hover layer needs a sel":     {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("hover")},
		"needs a selector":            {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("target")},
		"the click layer has no sel":  {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("click"), Selector: []byte("a")},
		"selector longer than 256":    {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("target"), Selector: []byte(strings.Repeat("a", 257))},
		"control character":           {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("target"), Selector: []byte("a\nb")},
		"not UTF-8":                   {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("target"), Selector: []byte("a\xffb")},
		"layer scroll: bad heatmap c": {Path: []byte("/"), Viewport: []byte("lg"), Layer: []byte("scroll"), Cells: []byte("1.1:1")},
	} {
		if _, err := e.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v", want, err)
		}
	}
}
