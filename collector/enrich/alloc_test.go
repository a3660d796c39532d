//go:build !race

package enrich

import "testing"

func TestClassifyWarmAllocatesNothing(t *testing.T) {
	c := NewClassifier(0)
	ua := []byte("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
	c.Classify(ua)
	if n := testing.AllocsPerRun(1000, func() { c.Classify(ua) }); n != 0 {
		t.Errorf("warm Classify allocates %.1f times, want 0", n)
	}
}
