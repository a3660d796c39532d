package core

import "github.com/crumbless/crumbless/consent"

// The consent package's functions the tracker uses, in one place.

// decide is the page's decision under the profile the edge resolved. The
// page sends no reasons, so it passes none of ProfileFor's: tier and flags
// do not depend on them.
func decide(p *consent.Policy, s *consent.Signals, prof consent.Profile) consent.Decision {
	return consent.DecideFor(p, s, prof, 0)
}

func parsePolicy(p *consent.Policy, src []byte) bool      { return consent.ParsePolicyHead(p, src) }
func parseProfile(src []byte) (consent.Profile, bool)     { return consent.ParseProfileLetter(src) }
func appendSignals(dst []byte, s *consent.Signals) []byte { return consent.AppendSignals(dst, s) }
func appendChoice(dst []byte, c *consent.Choice) []byte   { return consent.AppendChoice(dst, c) }
func appendFlags(dst []byte, d consent.Decision) []byte   { return consent.AppendFlags(dst, d) }

// maxGCMPairs bounds the key, value pairs of one Consent Mode command read.
const maxGCMPairs = 16

// gcmState is Consent Mode's state as the dataLayer built it, for the
// visitor's region (bound by the policy record).
type gcmState struct {
	consent.GCMAt
	kv [2 * maxGCMPairs][]byte
}

// apply records one command's key, value pairs; false for an unknown
// command.
func (g *gcmState) apply(cmd []byte, f *fields) bool {
	n := 0
	for f.left() >= 2 && n < len(g.kv) {
		f.take(&g.kv[n], 1<<16)
		f.take(&g.kv[n+1], 1<<16)
		n += 2
	}
	ok := g.Command(cmd, g.kv[:n]...)
	clear(g.kv[:n]) // keep no views into the feed
	return ok
}

// appendPolicyHash appends (*consent.Policy).AppendHash of the policy whose
// encoding is line, which is what GET /c sends as its first line. Hashing
// the line as received saves the module AppendPolicy; a collector that sent
// another spelling of the same policy would see another hash and decide alone.
func appendPolicyHash(dst, line []byte) []byte { return consent.AppendPolicyHash(dst, line) }

// equal reports whether b holds s.
func equal(b []byte, s string) bool { return consent.Equal(b, s) }

// marketing reports whether the decision made allows the marketing flag.
func (t *Tracker) marketing() bool {
	c := &t.consent
	return c.mode == withPolicy && c.decided && c.dec.Marketing
}
