//go:build !race

package dedupe

import "testing"

func TestMarkAllocatesNothing(t *testing.T) {
	s := newSet(t, Config{MaxEvents: 1 << 16})
	site, id := []byte("example.com"), []byte("ev-00000000")
	n := 0
	allocs := testing.AllocsPerRun(1000, func() {
		n++
		id[3] = byte(n)
		id[4] = byte(n >> 8)
		k := Key(site, id)
		if s.Mark(k, t0) == Fresh {
			s.Commit(k)
		}
		s.Unmark(Key(site, site))
	})
	if allocs != 0 {
		t.Errorf("Key + Mark + Commit: %v allocations, want 0", allocs)
	}
}
