// Package identity turns a request's IP address and User-Agent into a
// visitor_id that cannot be reversed and changes every day.
//
//	visitor_id = hex(HMAC-SHA256(daily salt; len·site, len·ip, len·ua)[:8])
//
// The salt is 128 random bits from crypto/rand, held only in memory, replaced
// at midnight UTC, kept one more day as "yesterday's" so that a visit going
// on across midnight keeps its id (bridge.go), then zeroed: no salt outlives
// 48 hours from the start of its day. Without the salt, the id cannot be
// recomputed from an IP and a User-Agent, even by enumerating the IPv4 space.
//
// # Many collectors
//
// Collectors behind one load balancer must give a visitor the same id, so
// they share each day's salt (cluster.go, exchange.go), still only in
// memory. The protocol, in full:
//
//  1. Every node holds at most one salt per day: yesterday's, today's and,
//     from PreDraw (an hour) before midnight UTC, tomorrow's. Each salt has
//     a tag, HMAC-SHA256(salt, "crumbless cluster tag")[:8], computed
//     locally, never sent. Whenever two salts compete for a day, the lower
//     tag wins; so all nodes converge on one salt per day, whoever asks
//     whom first.
//  2. A node asks a peer for a day's salt with GET /cluster/salt?day=N,
//     signed with HMAC-SHA256 over the method, path, day, time and a random
//     nonce; the peer refuses a request more than MaxSkew (30 s) away from
//     its clock, or one it has seen before. The answer is the salt sealed
//     with AES-256-GCM, bound to that request's day and nonce. Both keys
//     are derived with HKDF-SHA256 from the key the nodes share.
//  3. A peer never hands out a salt older than yesterday: it rotates first,
//     and days other than yesterday, today and tomorrow are refused.
//  4. Joining (Join, before the node reports ready): a node asks its peers
//     for today's salt. A running ("settled") peer's salt replaces the
//     node's own draw, even one with a lower tag, and the node also takes
//     yesterday's, so visits across midnight stay bridged. When every peer
//     is joining too (a cold start), their own draws compete by tag. When
//     no peer answers within a bounded time, the node keeps its own draw
//     and reconciles later; its ids differ until then (a warning is
//     logged, a metric says so).
//  5. Reconciling (Sync, which the collector runs every 30 s): a node asks every peer for
//     yesterday's, today's and, before midnight, tomorrow's salt (drawing
//     its own candidate first), and takes any settled one with a lower
//     tag. So tomorrow's salt is agreed before midnight and rotation needs
//     no exchange; a node that was cut off converges within a round.
//  6. Destruction is unchanged on every node: a salt is zeroed 48 hours
//     after its day began, whatever its peers do.
//
// The package never logs and never stores the IP or the User-Agent it
// hashes; callers drop them after the call. The cluster's rounds return
// what happened; the caller logs and counts.
//
// It must not import collector or any other collector/<x> package.
package identity

// IDLen is the length of a visitor id in hex characters (8 bytes).
const IDLen = 16

const (
	saltBytes  = 16 // 128 bits
	blockBytes = 64 // SHA-256 block size, the size of HMAC's pads
	dayMillis  = 24 * 60 * 60 * 1000
)
