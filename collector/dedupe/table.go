package dedupe

// A slot holds a key's upper 62 bits and its state in the lower two.
const (
	empty     = 0
	tombstone = 1 // an unmarked key; probing goes on past it
	inFlight  = 2
	accepted  = 3
	stateMask = 3
)

// table is an open-addressing hash table of keys with linear probing,
// kept at most half full, so that a probe always ends at an empty slot.
type table struct {
	slots []uint64
	mask  uint64
	used  int // slots not empty: keys and tombstones
}

func (t *table) init(limit int) {
	n := 16
	for n < 2*limit {
		n *= 2
	}
	t.slots = make([]uint64, n)
	t.mask = uint64(n - 1)
}

func (t *table) reset() {
	if t.used > 0 {
		clear(t.slots)
		t.used = 0
	}
}

// entry is the slot for key in state. A key whose upper bits are all zero
// is stored as 4, so that no key looks like an empty slot or a tombstone.
func entry(key, state uint64) uint64 {
	k := key &^ stateMask
	if k == 0 {
		k = 4
	}
	return k | state
}

// home is where the probe for an entry starts: above its state bits, so
// that keys stored alike probe alike.
func home(e, mask uint64) uint64 { return e >> 2 & mask }

// find returns the index of key's slot, or -1.
func (t *table) find(key uint64) int {
	want := entry(key, 0)
	for i := home(want, t.mask); ; i = (i + 1) & t.mask {
		switch s := t.slots[i]; {
		case s == empty:
			return -1
		case s&^stateMask == want && s&stateMask >= inFlight:
			return int(i)
		}
	}
}

// insert stores key, known to be absent, in state, reusing the first
// tombstone on its probe.
func (t *table) insert(key, state uint64) {
	for i := home(entry(key, 0), t.mask); ; i = (i + 1) & t.mask {
		switch t.slots[i] {
		case empty:
			t.used++
			fallthrough
		case tombstone:
			t.slots[i] = entry(key, state)
			return
		}
	}
}
