package identity

import "sync"

// Visits across midnight. A visit is one visitor's requests with no gap
// longer than VisitGap. The salt changes at midnight UTC, so a visit that
// crosses it would otherwise count as two visitors. The Keyer therefore
// remembers, for VisitGap, which ids it gave out (as 64-bit keys: the id
// itself, never an address or a User-Agent, and only in memory). A request
// that comes less than BridgeFor after midnight, from a visitor whose
// yesterday's id was active within VisitGap, keeps yesterday's id, for as
// long as that visit goes on (at most until BridgeFor after midnight). A
// new visit after midnight gets today's id.
const (
	// VisitGap is the longest pause within one visit: 30 minutes.
	VisitGap = 30 * 60 * 1000
	// BridgeFor is how long after midnight a visit may keep yesterday's
	// id: 4 hours. Yesterday's salt is needed for it, and lives on anyway
	// until the next midnight.
	BridgeFor = 4 * 60 * 60 * 1000
	// MaxRecent bounds the ids remembered for VisitGap: visitors beyond it
	// in one VisitGap are not bridged (their visits split at midnight).
	MaxRecent = 1 << 20
)

const recentShards = 64

// recent is when each id was last given out, for VisitGap. It is safe for
// concurrent use.
type recent struct {
	shards [recentShards]recentShard
}

type recentShard struct {
	mu    sync.Mutex
	seen  map[uint64]int64 // id → when it was last given out (Unix ms)
	swept int64            // when expired ids were last removed
}

// activeSince reports whether id was given out at or after since.
func (r *recent) activeSince(id uint64, since int64) bool {
	s := &r.shards[id%recentShards]
	s.mu.Lock()
	at, ok := s.seen[id]
	s.mu.Unlock()
	return ok && at >= since
}

// touch records that id was given out at now. Once per VisitGap a shard
// drops the ids it no longer needs; a full shard takes no new id.
func (r *recent) touch(id uint64, now int64) {
	s := &r.shards[id%recentShards]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = make(map[uint64]int64, 1024)
	}
	if now-s.swept >= VisitGap {
		for k, at := range s.seen {
			if now-at >= VisitGap {
				delete(s.seen, k)
			}
		}
		s.swept = now
	}
	if _, ok := s.seen[id]; ok || len(s.seen) < MaxRecent/recentShards {
		s.seen[id] = now
	}
}

// reset forgets every id (Close).
func (r *recent) reset() {
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		s.seen = nil
		s.mu.Unlock()
	}
}
