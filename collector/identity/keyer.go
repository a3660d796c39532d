package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sync"
	"time"
)

// Keyer computes visitor ids with the current day's salt. It is safe for
// concurrent use; a warm Keyer allocates nothing per call.
type Keyer struct {
	now  func() time.Time
	rand io.Reader

	mu        sync.RWMutex
	today     salt
	yesterday salt
	next      salt // tomorrow's, drawn or agreed before midnight by a Cluster (share.go)
	closed    bool

	recent recent // ids given out within VisitGap (bridge.go)

	states sync.Pool // *macState
}

// macState is the per-call scratch space, pooled so that a call allocates
// nothing.
type macState struct {
	h   hash.Hash
	len [4]byte
	sum [sha256.Size]byte
}

// Config configures a Keyer. The zero value is ready to use.
type Config struct {
	// Now is the clock; nil means time.Now. Tests inject their own.
	Now func() time.Time
	// Rand is the source of salts; nil means crypto/rand.Reader.
	Rand io.Reader
}

// New returns a Keyer with a fresh salt for today.
func New(cfg Config) (*Keyer, error) {
	k := &Keyer{now: cfg.Now, rand: cfg.Rand}
	if k.now == nil {
		k.now = time.Now
	}
	if k.rand == nil {
		k.rand = rand.Reader
	}
	k.states.New = func() any { return &macState{h: sha256.New()} }
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.rotateLocked(dayOf(k.now())); err != nil {
		return nil, err
	}
	return k, nil
}

// dayOf returns the UTC day number of t.
func dayOf(t time.Time) int64 {
	ms := t.UnixMilli()
	d := ms / dayMillis
	if ms < 0 && ms%dayMillis != 0 {
		d--
	}
	return d
}

// AppendVisitorID appends the IDLen-character visitor id for a visitor of
// site at ip with the User-Agent ua: today's, or yesterday's for a visit
// that began before midnight and goes on (bridge.go). It rotates the salt
// first if the day has changed. It appends nothing after Close, or if no
// salt could be drawn for today.
func (k *Keyer) AppendVisitorID(dst, site, ip, ua []byte) []byte {
	day, now := k.rlockFresh()
	defer k.mu.RUnlock()
	if !k.today.live || k.today.day < day { // rotation failed
		return dst
	}
	if k.yesterday.live && k.yesterday.day == day-1 && now-day*dayMillis < BridgeFor {
		if id := k.key(&k.yesterday, site, ip, ua); k.recent.activeSince(id, now-VisitGap) {
			k.recent.touch(id, now)
			return appendHex(dst, id)
		}
	}
	id := k.key(&k.today, site, ip, ua)
	k.recent.touch(id, now)
	return appendHex(dst, id)
}

// AppendPreviousVisitorID appends the id the same visitor had yesterday, for
// visits that cross midnight. ok is false when yesterday's salt does not
// exist (the Keyer is younger than a day, or was idle over a whole day).
func (k *Keyer) AppendPreviousVisitorID(dst, site, ip, ua []byte) (_ []byte, ok bool) {
	k.rlockFresh()
	defer k.mu.RUnlock()
	if !k.yesterday.live || k.yesterday.day != k.today.day-1 {
		return dst, false
	}
	return appendHex(dst, k.key(&k.yesterday, site, ip, ua)), true
}

// rlockFresh read-locks k after rotating the salts if the clock's day has
// changed, and returns that day and the time (Unix ms).
func (k *Keyer) rlockFresh() (day, now int64) {
	now = k.now().UnixMilli()
	day = dayOf(time.UnixMilli(now))
	k.mu.RLock()
	if k.today.day != day && !k.closed {
		k.mu.RUnlock()
		_ = k.Rotate() // on failure no id is appended, and the next call tries again
		k.mu.RLock()
	}
	return day, now
}

// appendHex appends id as IDLen hex digits.
func appendHex(dst []byte, id uint64) []byte {
	var b [IDLen / 2]byte
	binary.BigEndian.PutUint64(b[:], id)
	return hex.AppendEncode(dst, b[:])
}

// key computes HMAC-SHA256 by its definition, H(opad ‖ H(ipad ‖ m)), over
// pads kept in s, so that zeroing s destroys every copy of the secret, and
// returns its first 8 bytes: the visitor id.
func (k *Keyer) key(s *salt, site, ip, ua []byte) uint64 {
	st := k.states.Get().(*macState)
	defer k.states.Put(st)
	st.h.Reset()
	st.h.Write(s.ipad[:])
	st.writeField(site)
	st.writeField(ip)
	st.writeField(ua)
	inner := st.h.Sum(st.sum[:0])
	st.h.Reset()
	st.h.Write(s.opad[:])
	st.h.Write(inner)
	sum := st.h.Sum(st.sum[:0])
	return binary.BigEndian.Uint64(sum[:IDLen/2])
}

// writeField writes b with its length in front, so that fields cannot run
// into each other ("ab"+"c" and "a"+"bc" hash differently).
func (st *macState) writeField(b []byte) {
	binary.BigEndian.PutUint32(st.len[:], uint32(len(b)))
	st.h.Write(st.len[:])
	st.h.Write(b)
}

// Rotate brings the salts up to date with the clock: on a new day, today's
// salt becomes yesterday's, the one before is zeroed, and a new salt is
// drawn. AppendVisitorID calls it when needed; Run calls it at midnight so
// that old salts are destroyed even when no traffic comes.
func (k *Keyer) Rotate() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	return k.rotateLocked(dayOf(k.now()))
}

func (k *Keyer) rotateLocked(day int64) error {
	if k.today.live && k.today.day == day {
		return nil
	}
	k.yesterday.destroy()
	if k.today.live && k.today.day == day-1 {
		k.yesterday = k.today
	}
	k.today.destroy()
	if k.next.live && k.next.day == day { // agreed with the peers before midnight
		k.today = k.next
		k.next.destroy()
		return nil
	}
	k.next.destroy() // a candidate for a day that has passed
	return k.draw(&k.today, day)
}

// draw fills s with a new random salt for day.
func (k *Keyer) draw(s *salt, day int64) error {
	var key [saltBytes]byte
	if _, err := io.ReadFull(k.rand, key[:]); err != nil {
		return fmt.Errorf("drawing the daily salt: %w", err)
	}
	s.set(day, &key)
	return nil
}

// Run rotates the salts at every midnight UTC until ctx is done.
func (k *Keyer) Run(ctx context.Context) {
	for {
		now := k.now()
		next := time.UnixMilli((dayOf(now) + 1) * dayMillis)
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
			_ = k.Rotate() // on failure, the next call to AppendVisitorID tries again
		}
	}
}

// Close zeroes every salt. Later calls append no id.
func (k *Keyer) Close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	k.today.destroy()
	k.yesterday.destroy()
	k.next.destroy()
	k.recent.reset()
}
