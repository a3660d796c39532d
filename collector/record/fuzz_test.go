package record

import "testing"

// FuzzCheckLine: verify reads files anyone with disk access may have
// edited; no line makes it panic, and only a line whose hash matches passes.
func FuzzCheckLine(f *testing.F) {
	f.Add([]byte(`{"prev_hash":"` + Genesis + `","hash":"00"}`))
	f.Add([]byte(`{"a":1`))
	f.Fuzz(func(t *testing.T, line []byte) {
		if h, b := checkLine(line, Genesis); b == nil && len(h) != len(Genesis) {
			t.Fatalf("accepted %q with hash %q", line, h)
		}
	})
}
