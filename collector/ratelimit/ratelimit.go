// Package ratelimit bounds how fast one network, or one site, may send
// batches: a token bucket (golang.org/x/time/rate) per key, where a key is
// a client's network (an IPv4 /24, an IPv6 /48: one household or office,
// however many addresses it rotates through) or a site. A request over its
// key's rate is refused with 429 and a Retry-After.
//
// Keys are kept in memory only, as prefixes, never as full addresses, and
// forgotten after a minute without requests. Past MaxKeys networks at once,
// the networks not yet known share one bucket, so a flood from many
// networks is still bounded.
//
// It must not import collector or any other collector/<x> package.
package ratelimit

import (
	"math"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MaxKeys bounds the networks remembered at once.
const MaxKeys = 1 << 17

// idle is how long a network is remembered without a request.
const idle = time.Minute

const shards = 64

// Limit is a rate in batches per second and a burst; a zero Rate means no
// limit.
type Limit struct {
	Rate  float64
	Burst int
}

// Networks limits each client network.
type Networks struct {
	limit    Limit
	shards   [shards]shard
	overflow *rate.Limiter // for networks past MaxKeys
}

type shard struct {
	mu    sync.Mutex
	keys  map[uint64]*entry
	swept time.Time
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewNetworks returns a limiter of client networks; nil when l sets no
// limit.
func NewNetworks(l Limit) *Networks {
	if l.Rate <= 0 {
		return nil
	}
	n := &Networks{limit: l, overflow: newBucket(Limit{Rate: l.Rate * 16, Burst: l.Burst * 16})}
	for i := range n.shards {
		n.shards[i].keys = make(map[uint64]*entry)
	}
	return n
}

// Allow takes one request from addr's network at now. It returns 0 when
// the request may go on, or how long the sender should wait. A nil
// Networks allows everything.
func (n *Networks) Allow(addr netip.Addr, now time.Time) time.Duration {
	if n == nil {
		return 0
	}
	key := prefixKey(addr)
	s := &n.shards[key%shards]
	s.mu.Lock()
	if now.Sub(s.swept) >= idle {
		for k, e := range s.keys {
			if now.Sub(e.seen) >= idle {
				delete(s.keys, k)
			}
		}
		s.swept = now
	}
	e := s.keys[key]
	if e == nil && len(s.keys) < MaxKeys/shards {
		e = &entry{lim: newBucket(n.limit)}
		s.keys[key] = e
	}
	lim := n.overflow
	if e != nil {
		e.seen = now
		lim = e.lim
	}
	wait := take(lim, now)
	s.mu.Unlock()
	return wait
}

// Site limits one site.
type Site struct {
	lim *rate.Limiter
}

// NewSite returns a limiter for one site; nil when l sets no limit.
func NewSite(l Limit) *Site {
	if l.Rate <= 0 {
		return nil
	}
	return &Site{lim: newBucket(l)}
}

// Allow takes one request at now: 0, or how long to wait. A nil Site
// allows everything.
func (s *Site) Allow(now time.Time) time.Duration {
	if s == nil {
		return 0
	}
	return take(s.lim, now)
}

func newBucket(l Limit) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(l.Rate), max(l.Burst, 1))
}

// take takes a token at now, or returns how long until one is there.
func take(lim *rate.Limiter, now time.Time) time.Duration {
	if lim.AllowN(now, 1) {
		return 0
	}
	missing := 1 - lim.TokensAt(now)
	return time.Duration(math.Ceil(missing / float64(lim.Limit()) * float64(time.Second)))
}

// prefixKey is the network of addr as a number: its first 24 bits for IPv4,
// its first 48 for IPv6 (the two kinds cannot collide: IPv4 keys are below
// 2^24 plus a tag bit).
func prefixKey(addr netip.Addr) uint64 {
	addr = addr.Unmap()
	if addr.Is4() {
		b := addr.As4()
		return 1<<63 | uint64(b[0])<<16 | uint64(b[1])<<8 | uint64(b[2])
	}
	b := addr.As16()
	return uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(b[4])<<8 | uint64(b[5])
}

// RetryAfter is wait in whole seconds, at least 1, for a Retry-After header.
func RetryAfter(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
