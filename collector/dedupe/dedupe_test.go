package dedupe

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newSet(t testing.TB, cfg Config) *Set {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLifecycle(t *testing.T) {
	s := newSet(t, Config{})
	k := Key([]byte("example.com"), []byte("ev-1"))
	steps := []struct {
		do   func()
		want State
	}{
		{nil, Fresh},
		{nil, InFlight},                 // marked, not finished
		{func() { s.Unmark(k) }, Fresh}, // the write failed: a retry is fresh
		{func() { s.Commit(k) }, Duplicate},
		{nil, Duplicate},
	}
	for i, st := range steps {
		if st.do != nil {
			st.do()
		}
		if got := s.Mark(k, t0); got != st.want {
			t.Fatalf("step %d: Mark = %v, want %v", i, got, st.want)
		}
	}
}

func TestKeyTellsSitesApart(t *testing.T) {
	a := Key([]byte("a.example"), []byte("bc"))
	for _, k := range []uint64{Key([]byte("a.exampleb"), []byte("c")), Key([]byte("b.example"), []byte("bc"))} {
		if k == a {
			t.Errorf("keys collide: %x", k)
		}
	}
	if Key([]byte("a.example"), []byte("bc")) != a {
		t.Error("Key is not deterministic")
	}
}

func TestWindow(t *testing.T) {
	const w = time.Minute
	s := newSet(t, Config{Window: w})
	k := Key([]byte("s"), []byte("e"))
	mustMark(t, s, k, t0, Fresh)
	s.Commit(k)
	for _, d := range []time.Duration{w - 1, w, w + w/2, 2*w - 1} { // rotated once at w: in prev
		mustMark(t, s, k, t0.Add(d), Duplicate)
	}
	mustMark(t, s, k, t0.Add(3*w), Fresh) // two windows after the rotation at w: gone
	// A key marked just before a rotation is remembered a full window.
	s2 := newSet(t, Config{Window: w})
	other := Key([]byte("s"), []byte("x"))
	mustMark(t, s2, other, t0, Fresh)
	mustMark(t, s2, k, t0.Add(w-1), Fresh)
	s2.Commit(k)
	mustMark(t, s2, k, t0.Add(2*w-2), Duplicate)
	// A set left alone for two windows forgets everything at once.
	mustMark(t, s2, k, t0.Add(5*w), Fresh)
}

func mustMark(t *testing.T, s *Set, k uint64, now time.Time, want State) {
	t.Helper()
	if got := s.Mark(k, now); got != want {
		t.Fatalf("Mark at %v = %v, want %v", now.Sub(t0), got, want)
	}
}

func TestFullRotatesEarly(t *testing.T) {
	m := metrics.NewSet()
	s := newSet(t, Config{MaxEvents: 64 * 4, Metrics: m}) // 4 per shard
	sh := &s.shards[0]
	size := len(sh.cur.slots)
	var keys []uint64
	for i := range 20 { // 20 keys in shard 0: rotated early at the 5th, 9th, 13th and 17th
		k := uint64(i+1)<<8 | 0 // top bits zero: shard 0
		keys = append(keys, k)
		mustMark(t, s, k, t0, Fresh)
		s.Commit(k)
	}
	if got := counter(m, "crumbless_dedupe_early_rotations_total"); got != 4 {
		t.Errorf("early rotations = %d, want 4", got)
	}
	if len(sh.cur.slots) != size || len(sh.prev.slots) != size || sh.cur.used > 4 {
		t.Errorf("tables grew: %d, %d slots, %d used; want %d slots, at most 4 used", len(sh.cur.slots), len(sh.prev.slots), sh.cur.used, size)
	}
	mustMark(t, s, keys[19], t0, Duplicate) // current
	mustMark(t, s, keys[15], t0, Duplicate) // previous
	mustMark(t, s, keys[0], t0, Fresh)      // rotated out
}

func counter(m *metrics.Set, name string) uint64 {
	var b []byte
	w := &sliceWriter{&b}
	m.WritePrometheus(w)
	var v uint64
	for _, line := range splitLines(string(b)) {
		if n, _ := fmt.Sscanf(line, name+" %d", &v); n == 1 {
			return v
		}
	}
	return 0
}

func TestConcurrentMarksOnce(t *testing.T) {
	s := newSet(t, Config{})
	const keys, workers = 5000, 8
	var fresh [keys]atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range keys {
				k := Key([]byte("example.com"), fmt.Appendf(nil, "ev-%d", i))
				if s.Mark(k, t0) == Fresh {
					fresh[i].Add(1)
					s.Commit(k)
				}
			}
		})
	}
	wg.Wait()
	for i := range fresh {
		if n := fresh[i].Load(); n != 1 {
			t.Fatalf("key %d was fresh %d times", i, n)
		}
	}
}

func TestZeroKey(t *testing.T) {
	s := newSet(t, Config{})
	for _, k := range []uint64{0, 1, 2, 3} { // all stored as the same 62-bit key
		want := Fresh
		if k > 0 {
			want = Duplicate
		}
		mustMark(t, s, k, t0, want)
		s.Commit(k)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, cfg := range []Config{{Window: -1}, {MaxEvents: -1}, {Window: time.Microsecond}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// benchmarkMark marks batches of 20 fresh keys in a set that holds a
// million, as a busy collector's does; with warm, each batch is warmed first.
func benchmarkMark(b *testing.B, warm bool) {
	s := newSet(b, Config{MaxEvents: 1 << 20, Window: time.Hour})
	var n uint64
	keys := make([]uint64, 20)
	next := func() {
		for i := range keys {
			n++
			keys[i] = Key([]byte("example.com"), binary.LittleEndian.AppendUint64(nil, n))
		}
	}
	for range (1 << 20) / 20 {
		next()
		for _, k := range keys {
			s.Mark(k, t0)
			s.Commit(k)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		next()
		if warm {
			s.Warm(keys)
		}
		for _, k := range keys {
			if s.Mark(k, t0) == Fresh {
				s.Commit(k)
			}
		}
	}
}

func BenchmarkMark20(b *testing.B)     { benchmarkMark(b, false) }
func BenchmarkMark20Warm(b *testing.B) { benchmarkMark(b, true) }
