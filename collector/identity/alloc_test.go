//go:build !race

package identity

import (
	"testing"
	"time"
)

func TestVisitorIDAllocatesNothing(t *testing.T) {
	k := newKeyer(t, newClock(time.Now()))
	buf := make([]byte, 0, IDLen)
	allocs := testing.AllocsPerRun(1000, func() {
		buf = k.AppendVisitorID(buf[:0], site, ip, ua)
	})
	if allocs != 0 {
		t.Errorf("AppendVisitorID allocates %.1f times per call, want 0", allocs)
	}
}
