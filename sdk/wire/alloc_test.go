//go:build !race

package wire

import "testing"

func TestSteadyStateAllocs(t *testing.T) {
	batch := sampleBatch(20)
	raw := AppendBatch(nil, &batch)
	var p Parser
	dst := make([]byte, 0, 2*len(raw))
	if _, err := p.Parse(raw); err != nil { // warm up
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		b, err := p.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		dst = AppendBatch(dst[:0], b)
	})
	if allocs != 0 {
		t.Errorf("Parse + AppendBatch: %v allocations per run, want 0", allocs)
	}
}
