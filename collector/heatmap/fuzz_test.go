package heatmap

import (
	"bytes"
	"testing"
)

// FuzzCells feeds arbitrary text to the cells decoder of every layer: it
// may refuse, never panic; what it accepts is within the layer, counted
// as Validate counts it, and written back byte for byte (the form is
// canonical).
func FuzzCells(f *testing.F) {
	for _, s := range []string{"", "3.12:2,49.99:65535", "0:5,9:1", "9.9:3", "1.1:1,1.1:2", "01.1:1", "1.1:1,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for l := LayerClick; l <= LayerTarget; l++ {
			cells, err := AppendCells(nil, l, []byte(text))
			n, verr := Validate(l, []byte(text))
			if (err == nil) != (verr == nil) || err == nil && n != len(cells) {
				t.Fatalf("%s %q: AppendCells %v, Validate %d, %v", l, text, err, n, verr)
			}
			if err != nil {
				continue
			}
			cols, rows := l.Size()
			for _, c := range cells {
				if int(c.X) >= cols || int(c.Y) >= rows || c.Count == 0 || c.Count > MaxCount {
					t.Fatalf("%s %q: cell %v out of bounds", l, text, c)
				}
			}
			if back := AppendText(nil, l, cells); !bytes.Equal(back, []byte(text)) {
				t.Fatalf("%s %q: written back as %q", l, text, back)
			}
		}
	})
}

// FuzzAggregatorAdd feeds arbitrary lines to the aggregator, as raw files
// might hold them: it may skip them, never panic, and what it keeps is
// within its layer.
func FuzzAggregatorAdd(f *testing.F) {
	f.Add([]byte(raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:2", visitor: "0123456789abcdef"}.json(1, day)))
	f.Add([]byte(raw{path: "/", viewport: "lg", layer: "target", selector: "#a", cells: "9.9:1", visitor: "x"}.json(1, day)))
	f.Add([]byte(`{"type":"heatmap","path":1}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		a := NewAggregator(1, Filter{})
		a.Add(line)
		a.Add(line)
		rows, st := a.Result()
		if st.Rows != 2 || st.Kept != len(rows) {
			t.Fatalf("stats %+v for %d rows", st, len(rows))
		}
		for _, r := range rows {
			cols, rws := r.Layer.Size()
			if int(r.X) >= cols || int(r.Y) >= rws || r.Visitors != 1 {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
