package mouse

import "testing"

// moves are 2,000 movement samples of generated human visits, the issue's
// 30-second budget session.
func moves(tb testing.TB) []sample {
	var out []sample
	for seed := uint64(0); len(out) < 2000; seed++ {
		for _, m := range human(seed) {
			if !m.click && len(out) < 2000 {
				out = append(out, m)
			}
		}
	}
	return out
}

// BenchmarkMoves feeds 2,000 mouse moves, as the tracker would: to the
// heatmap (grid and element), the bot score and, for each, a Tick of the
// detector.
func BenchmarkMoves(b *testing.B) {
	ms := moves(b)
	var h Heatmap
	var bot Bot
	var d Detector
	box := Box{X: 100, Y: 100, W: 400, H: 300}
	b.ReportAllocs()
	for b.Loop() {
		h.Start(1280, 4000)
		bot.Reset()
		for _, m := range ms {
			h.Move(m.x, m.y*3, 1, box)
			bot.Move(m.x, m.y, m.t)
			d.Tick(m.t)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ms)), "ns/move")
}

// TestNoAllocs checks that steady-state feeding and encoding allocate
// nothing.
func TestNoAllocs(t *testing.T) {
	ms := moves(t)
	var h Heatmap
	var bot Bot
	var d Detector
	var sel Selectors
	dst := make([]byte, 0, MaxEncoded)
	selector := []byte("main>button:nth-of-type(2)")
	box := Box{X: 100, Y: 100, W: 400, H: 300}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		m := ms[i%len(ms)]
		i++
		id := sel.ID(selector)
		h.Move(m.x, m.y, id, box)
		h.Click(m.x, m.y, id, box)
		h.Reach(m.y / 10)
		bot.Move(m.x, m.y, m.t)
		bot.Click(m.x, m.y, m.t, 90)
		d.Click(m.x, m.y, m.t, id, false)
		d.Activity(m.t)
		d.Select(m.t)
		d.Error(m.t)
		d.Scroll(m.y, m.t)
		d.Page(uint32(i%3), m.t)
		d.Leave(m.t)
		d.Tick(m.t + 5000)
		for _, ok := d.Next(); ok; _, ok = d.Next() {
		}
		_, r := bot.Score()
		dst = AppendReasons(all(&h, dst[:0]), r)
		h.Reset()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per feed", allocs)
	}
}
