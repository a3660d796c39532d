package dedupe

import "sync"

// shard is one lock's share of the set: two generations of keys.
type shard struct {
	mu    sync.Mutex
	cur   table
	prev  table
	since int64 // when cur became current, in Unix nanoseconds; 0 before the first Mark
	limit int   // the most keys cur takes before an early rotation
}

func (sh *shard) init(limit int) {
	sh.limit = limit
	sh.cur.init(limit)
	sh.prev.init(limit)
}

// expire swaps the generations when the window has passed, or empties
// both when two have: then every key in them is older than a window, since
// cur only takes keys within a window of since.
func (sh *shard) expire(now, window int64) {
	switch elapsed := now - sh.since; {
	case sh.since == 0 || elapsed >= 2*window:
		sh.prev.reset()
		sh.cur.reset()
	case elapsed >= window:
		sh.swap()
	default:
		return
	}
	sh.since = now
}

func (sh *shard) swap() {
	sh.cur, sh.prev = sh.prev, sh.cur
	sh.cur.reset()
}

// mark finds key in either generation, or marks it in flight in cur,
// rotating first if cur is full (early, then).
func (sh *shard) mark(key uint64) (st State, early bool) {
	for _, t := range [2]*table{&sh.cur, &sh.prev} {
		if i := t.find(key); i >= 0 {
			if t.slots[i]&stateMask == accepted {
				return Duplicate, false
			}
			return InFlight, false
		}
	}
	if sh.cur.used >= sh.limit {
		sh.swap()
		early = true
	}
	sh.cur.insert(key, inFlight)
	return Fresh, early
}

// set changes the state of key wherever it is; a key rotated out is
// forgotten already.
func (sh *shard) set(key, state uint64) {
	for _, t := range [2]*table{&sh.cur, &sh.prev} {
		if i := t.find(key); i >= 0 {
			t.slots[i] = entry(key, state)
			return
		}
	}
}
