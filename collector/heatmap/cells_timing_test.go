package heatmap

import (
	"testing"
)

func manyCells() []byte {
	var cells []Cell
	for y := range 40 {
		for x := range 50 {
			cells = append(cells, Cell{uint8(x), uint8(y), uint32(x*y + 1)})
		}
	}
	return AppendText(nil, LayerMove, cells)
}

func TestAppendCellsAllocatesNothing(t *testing.T) {
	text := manyCells()
	dst := make([]Cell, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if dst, err = AppendCells(dst[:0], LayerMove, text); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendCells allocates %.1f times per call with a warm buffer", allocs)
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _ = Validate(LayerMove, text) }); allocs != 0 {
		t.Errorf("Validate allocates %.1f times per call", allocs)
	}
}

func BenchmarkAppendCells(b *testing.B) {
	text := manyCells()
	dst := make([]Cell, 0, 4096)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		dst, _ = AppendCells(dst[:0], LayerMove, text)
	}
}

func BenchmarkAggregatorAdd(b *testing.B) {
	lines := make([][]byte, 1000)
	for i := range lines {
		r := raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:2,4.12:1,10.40:3,20.20:1", visitor: "0123456789ab" + string(rune('a'+i%26)) + "000"}
		lines[i] = []byte(r.json(i, day))
	}
	a := NewAggregator(5, Filter{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a.Add(lines[i%len(lines)])
		i++
	}
}
