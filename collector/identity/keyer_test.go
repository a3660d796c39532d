package identity

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// clock is a settable clock, safe for concurrent use.
type clock struct{ ms atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ms.Store(t.UnixMilli())
	return c
}
func (c *clock) Now() time.Time          { return time.UnixMilli(c.ms.Load()) }
func (c *clock) Advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// counterRand fills reads with an incrementing byte, so every salt differs
// and is known to the test.
type counterRand struct{ n byte }

func (r *counterRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

var (
	site = []byte("example.com")
	ip   = []byte{192, 0, 2, 1}
	ua   = []byte("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
)

func newKeyer(t *testing.T, c *clock) *Keyer {
	t.Helper()
	k, err := New(Config{Now: c.Now, Rand: &counterRand{}})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVisitorIDIsHMACSHA256(t *testing.T) {
	k := newKeyer(t, newClock(time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)))
	key := make([]byte, saltBytes)
	_, _ = (&counterRand{}).Read(key)

	mac := hmac.New(sha256.New, key)
	for _, f := range [][]byte{site, ip, ua} {
		_ = binary.Write(mac, binary.BigEndian, uint32(len(f)))
		mac.Write(f)
	}
	want := hex.EncodeToString(mac.Sum(nil)[:8])
	if got := string(k.AppendVisitorID(nil, site, ip, ua)); got != want {
		t.Errorf("visitor id = %s, want %s", got, want)
	}
}

func TestVisitorIDSeparatesFields(t *testing.T) {
	k := newKeyer(t, newClock(time.Now()))
	a := k.AppendVisitorID(nil, []byte("ab"), []byte("c"), nil)
	b := k.AppendVisitorID(nil, []byte("a"), []byte("bc"), nil)
	if len(a) != IDLen || bytes.Equal(a, b) {
		t.Errorf("ids %s and %s: fields ran together", a, b)
	}
	if again := k.AppendVisitorID(nil, []byte("ab"), []byte("c"), nil); !bytes.Equal(a, again) {
		t.Errorf("same input gave %s then %s", a, again)
	}
}

func TestRotationAtMidnight(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC))
	k := newKeyer(t, c)
	day1 := k.AppendVisitorID(nil, site, ip, ua)
	if _, ok := k.AppendPreviousVisitorID(nil, site, ip, ua); ok {
		t.Error("a new Keyer has a previous salt")
	}
	day1Pads := k.today

	c.Advance(31 * time.Minute) // 00:30:59, after a pause longer than VisitGap: a new visit
	day2 := k.AppendVisitorID(nil, site, ip, ua)
	if bytes.Equal(day1, day2) {
		t.Fatal("id did not change at midnight")
	}
	if prev, ok := k.AppendPreviousVisitorID(nil, site, ip, ua); !ok || !bytes.Equal(prev, day1) {
		t.Errorf("previous id = %s, %v; want %s", prev, ok, day1)
	}

	c.Advance(24 * time.Hour) // 48 h after day 1 began: its salt is destroyed
	if prev, ok := k.AppendPreviousVisitorID(nil, site, ip, ua); !ok || !bytes.Equal(prev, day2) {
		t.Errorf("previous id = %s, %v; want %s", prev, ok, day2)
	}
	for _, s := range []*salt{&k.today, &k.yesterday} {
		if s.ipad == day1Pads.ipad || s.opad == day1Pads.opad {
			t.Error("day 1's salt survived 48 hours")
		}
	}
}

// TestVisitAcrossMidnightStaysOneVisitor: a visit that goes on across
// midnight keeps its id until it pauses for VisitGap or BridgeFor has
// passed; a visitor first seen after midnight gets today's id; and the
// same visitor's next visit does too.
func TestVisitAcrossMidnightStaysOneVisitor(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 23, 50, 0, 0, time.UTC))
	k := newKeyer(t, c)
	other := []byte("198.51.100.77")
	before := string(k.AppendVisitorID(nil, site, ip, ua))
	for _, step := range []time.Duration{9 * time.Minute, 2 * time.Minute, 25 * time.Minute, 29 * time.Minute} {
		c.Advance(step) // 23:59, 00:01, 00:26, 00:55: no pause of 30 minutes
		if got := string(k.AppendVisitorID(nil, site, ip, ua)); got != before {
			t.Fatalf("at %s the visit's id changed from %s to %s", c.Now().Format("15:04"), before, got)
		}
	}
	newcomer := string(k.AppendVisitorID(nil, site, other, ua))
	if prev, _ := k.AppendPreviousVisitorID(nil, site, other, ua); newcomer == string(prev) {
		t.Errorf("a visitor first seen after midnight got yesterday's id")
	}
	c.Advance(31 * time.Minute) // 01:26: the visit ended at 00:55
	today := string(k.AppendVisitorID(nil, site, ip, ua))
	if today == before {
		t.Errorf("a new visit after midnight kept yesterday's id")
	}
	c.Advance(time.Minute)
	if got := string(k.AppendVisitorID(nil, site, ip, ua)); got != today {
		t.Errorf("within the new visit the id changed: %s, %s", today, got)
	}
}

func TestBridgeEndsAfterBridgeFor(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 23, 55, 0, 0, time.UTC))
	k := newKeyer(t, c)
	before := string(k.AppendVisitorID(nil, site, ip, ua))
	for c.Now().Before(time.Date(2026, 11, 24, 3, 55, 0, 0, time.UTC)) {
		c.Advance(20 * time.Minute)
		if got := string(k.AppendVisitorID(nil, site, ip, ua)); got != before {
			t.Fatalf("at %s a continuous visit lost its id", c.Now().Format("15:04"))
		}
	}
	c.Advance(10 * time.Minute) // 04:15: past BridgeFor
	if got := string(k.AppendVisitorID(nil, site, ip, ua)); got == before {
		t.Errorf("yesterday's id was still given out %s after midnight", c.Now().Format("15:04"))
	}
}

func TestRotateDestroysWithoutTraffic(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	k := newKeyer(t, c)
	c.Advance(3 * 24 * time.Hour)
	if err := k.Rotate(); err != nil {
		t.Fatal(err)
	}
	if k.yesterday.live || k.yesterday.ipad != [blockBytes]byte{} || k.yesterday.opad != [blockBytes]byte{} {
		t.Error("a salt older than yesterday was not zeroed")
	}
	if _, ok := k.AppendPreviousVisitorID(nil, site, ip, ua); ok {
		t.Error("previous id available after an idle gap of days")
	}
}

func TestClose(t *testing.T) {
	k := newKeyer(t, newClock(time.Now()))
	k.Close()
	if k.today.ipad != [blockBytes]byte{} || k.today.live {
		t.Error("Close left today's salt")
	}
	if got := k.AppendVisitorID([]byte("x"), site, ip, ua); string(got) != "x" {
		t.Errorf("AppendVisitorID after Close = %q", got)
	}
	if err := k.Rotate(); err != nil || k.today.live {
		t.Errorf("Rotate after Close: %v, live %v", err, k.today.live)
	}
}

func TestSaltSourceFailure(t *testing.T) {
	boom := errors.New("boom")
	if _, err := New(Config{Rand: iotest.ErrReader(boom)}); !errors.Is(err, boom) {
		t.Errorf("New with failing rand = %v", err)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	k := newKeyer(t, newClock(time.Now()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
}

// TestHammer runs ids and rotations concurrently; run it with -race.
func TestHammer(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC))
	k := newKeyer(t, c)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			buf := make([]byte, 0, IDLen)
			for i := range 500 {
				if g == 0 && i%50 == 0 {
					c.Advance(6 * time.Hour)
				}
				if buf = k.AppendVisitorID(buf[:0], site, ip, ua); len(buf) != IDLen {
					t.Errorf("id %q", buf)
					return
				}
				_, _ = k.AppendPreviousVisitorID(buf[:0], site, ip, ua)
			}
		})
	}
	wg.Wait()
}
