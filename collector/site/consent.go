package site

import "github.com/crumbless/crumbless/consent"

// Consent is a site's consent policy, prepared at start-up for the hot
// path: the policy the collector decides with, its hash (which the page
// sends back with each batch) and its encoding (which GET /c serves).
type Consent struct {
	Policy consent.Policy
	// Hash is the policy's 16 hex digits (consent's AppendHash).
	Hash []byte
	// Text is the policy as the page reads it (consent's AppendPolicy).
	Text []byte
	// QueryAllowlist names the query parameters kept below tier T3.
	QueryAllowlist [][]byte
	// PathRedactions are path patterns; "*" stands for one segment.
	PathRedactions [][]byte
}

// SetCatchAll gives the demo catch-all site c; it does nothing outside
// demo mode.
func (r *Registry) SetCatchAll(c Consent) {
	if r.any != nil {
		r.any.Consent = c
	}
}
