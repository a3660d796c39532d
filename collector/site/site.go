// Package site is the registry of the sites a collector accepts events for:
// each site's id and the origins its pages may send from.
//
// It is a leaf of the collector: it must not import collector or any other
// collector/<x> package, nor a server library.
package site

// LoopbackAny is the id of the catch-all site that a demo registry returns
// for any well-formed site id it was not configured with.
const LoopbackAny = "*"

// Site is one site the collector accepts events for.
type Site struct {
	// ID is what the tracker's data-site attribute names, e.g. "example.com".
	ID string
	// Origins are the exact origins (scheme://host[:port]) its pages are
	// served from, e.g. "https://example.com".
	Origins []string
	// Loopback also allows http://localhost, http://127.0.0.1 and
	// http://[::1] on any port (demo mode).
	Loopback bool
	// Consent is the site's consent policy.
	Consent Consent
	// Goals mark the events that reach one of the site's goals.
	Goals Goals
	// Exclude are networks whose batches are acknowledged and dropped.
	Exclude Networks
	// DropBots drops the events of known bots (acknowledged, not written).
	DropBots bool
	// FlagBots writes a bot score on every row: the batch's behavioural
	// score (the mouse add-on's $bot event) and, for a known bot, 100 with
	// the reason ua.
	FlagBots bool
	// Secret authenticates the site's servers: a batch sent with
	// "Authorization: Bearer <Secret>" needs no Origin. Empty: the site
	// takes no server sends. Never log it.
	Secret []byte
	// Hosts are the host[:port] parts of Origins (and the loopback hosts
	// when Loopback is set): a referrer from one of them is internal.
	// NewRegistry fills them in.
	Hosts [][]byte
}

// Allows reports whether a batch sent from origin (the request's Origin
// header) may be accepted for s. The match is exact: browsers send the
// origin in lower case without a default port.
func (s *Site) Allows(origin []byte) bool {
	for _, o := range s.Origins {
		if string(origin) == o {
			return true
		}
	}
	return s.Loopback && isLoopbackOrigin(origin)
}
