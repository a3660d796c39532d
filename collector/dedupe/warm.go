package dedupe

import "unsafe"

// Warm reads the first slot each key's probe would read in both
// generations, so that the cache misses of a batch's keys overlap instead
// of following one another in Mark: a full set is tens of megabytes, and
// each probe would otherwise wait on memory. It is only a hint: it takes
// no lock, changes nothing and throws away what it reads.
//
// It reads without the shard's lock on purpose, so it is not instrumented
// for the race detector. That is safe: a shard's tables are allocated once,
// with the same length, and only trade places under the lock, so whatever
// table a racing read sees, the slot read is inside it.
//
//go:norace
func (s *Set) Warm(keys []uint64) uint64 {
	var sum uint64
	for _, key := range keys {
		sh := s.shard(key)
		sum += sh.cur.peek(key) + sh.prev.peek(key)
	}
	return sum
}

// peek reads key's home slot without a bounds check (the mask keeps it in
// the table).
//
//go:norace
func (t *table) peek(key uint64) uint64 {
	slots := t.slots
	if len(slots) == 0 {
		return 0
	}
	i := home(entry(key, 0), uint64(len(slots)-1))
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(slots)), i*8))
}
