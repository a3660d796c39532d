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
// The package never logs and never stores the IP or the User-Agent it
// hashes; callers drop them after the call.
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
