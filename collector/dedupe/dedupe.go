// Package dedupe is the collector's seen-set: it remembers the events it
// accepted, for a time window, so that a retried batch lands once.
//
// An event's key is the xxhash of its site and event id (Key). Keys live in
// two generations, current and previous, swapped every window, so a key is
// remembered for at least one window and less than two. Memory is fixed: each
// generation holds at most MaxEvents keys, and when the current one is full
// it is rotated early (counted in crumbless_dedupe_early_rotations_total),
// which shortens the memory of the oldest keys, never the correctness of what
// is accepted. The set is split in shards, each with its own lock; a warm
// set allocates nothing.
//
// A key goes through three states: absent, in flight (marked by a request
// that is writing it) and accepted (Commit). Unmark forgets a key in flight
// whose write failed, so that a retry is accepted.
//
// xxhash is not keyed: keys are only compared, never published.
//
// It must not import collector or any other collector/<x> package.
package dedupe

import (
	"errors"
	"fmt"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/cespare/xxhash/v2"
)

// Defaults for the zero values of Config.
const (
	DefaultWindow    = 10 * time.Minute
	DefaultMaxEvents = 1 << 20
)

// shardBits is log2 of the number of shards.
const shardBits = 6

// Config configures a Set. The zero value of every field means its default.
type Config struct {
	// Window is how long an accepted event is remembered, at least;
	// default 10 minutes.
	Window time.Duration
	// MaxEvents is the most events one generation holds; default 1 Mi.
	// The set takes 32 bytes per event: two generations, each a table of
	// 8-byte slots kept at most half full.
	MaxEvents int
	// Metrics receives the set's counters; nil means a private set.
	Metrics *metrics.Set
}

// State is what Mark found.
type State uint8

const (
	// Fresh: the key was absent and is now in flight, marked by the caller.
	Fresh State = iota
	// Duplicate: the key was accepted within the window.
	Duplicate
	// InFlight: another request marked the key and has not finished.
	InFlight
)

// Set is a seen-set of event keys. It is safe for concurrent use.
type Set struct {
	window int64 // nanoseconds
	shards [1 << shardBits]shard
	early  *metrics.Counter
}

// New checks cfg and returns an empty Set.
func New(cfg Config) (*Set, error) {
	if cfg.Window < 0 || cfg.MaxEvents < 0 {
		return nil, fmt.Errorf("creating the seen-set: negative window (%v) or size (%d)", cfg.Window, cfg.MaxEvents)
	}
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MaxEvents == 0 {
		cfg.MaxEvents = DefaultMaxEvents
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.NewSet()
	}
	if cfg.Window < time.Millisecond {
		return nil, errors.New("creating the seen-set: the window is shorter than a millisecond")
	}
	s := &Set{window: int64(cfg.Window), early: cfg.Metrics.NewCounter("crumbless_dedupe_early_rotations_total")}
	perShard := (cfg.MaxEvents + len(s.shards) - 1) / len(s.shards)
	for i := range s.shards {
		s.shards[i].init(perShard)
	}
	return s, nil
}

// Key returns the key of the event id of site.
func Key(site, id []byte) uint64 {
	var d xxhash.Digest
	d.Reset()
	d.Write(site)
	d.Write([]byte{0})
	d.Write(id)
	return d.Sum64()
}

// Mark marks key as in flight if it is absent, atomically, and says what
// it found. now is the request's time; it drives the rotation.
func (s *Set) Mark(key uint64, now time.Time) State {
	sh := s.shard(key)
	sh.mu.Lock()
	sh.expire(now.UnixNano(), s.window)
	st, early := sh.mark(key)
	sh.mu.Unlock()
	if early {
		s.early.Inc()
	}
	return st
}

// Window returns how long an accepted event is remembered, at least.
func (s *Set) Window() time.Duration { return time.Duration(s.window) }

// Commit records key, marked by the caller, as accepted.
func (s *Set) Commit(key uint64) { s.set(key, accepted) }

// Unmark forgets key, marked by the caller, so that it can be marked again.
func (s *Set) Unmark(key uint64) { s.set(key, tombstone) }

func (s *Set) set(key uint64, state uint64) {
	sh := s.shard(key)
	sh.mu.Lock()
	sh.set(key, state)
	sh.mu.Unlock()
}

func (s *Set) shard(key uint64) *shard {
	return &s.shards[key>>(64-shardBits)]
}
