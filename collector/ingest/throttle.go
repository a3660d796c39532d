package ingest

import (
	"sync"
	"time"
)

// throttle lets at most one log line per key through every interval, and
// counts the ones it held back, so a flood of bad requests costs a line
// every few seconds, not one per request.
type throttle struct {
	every time.Duration
	mu    sync.Mutex
	keys  map[string]*throttleState
}

type throttleState struct {
	last       time.Time
	suppressed int
}

func newThrottle(every time.Duration) *throttle {
	return &throttle{every: every, keys: make(map[string]*throttleState)}
}

// allow reports whether a line for key may be logged at now, and how many
// lines for key were held back since the last one.
func (t *throttle) allow(key string, now time.Time) (ok bool, suppressed int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.keys[key]
	if st == nil {
		st = &throttleState{}
		t.keys[key] = st
	} else if now.Sub(st.last) < t.every {
		st.suppressed++
		return false, 0
	}
	suppressed, st.suppressed, st.last = st.suppressed, 0, now
	return true, suppressed
}
