package collector

import "time"

// ConsentConfig is one site's consent policy. The zero value of every field
// means consent.DefaultPolicy()'s; with basis exempt (the default) the
// exemption's conditions hold whatever else is set.
//
//	consent:
//	  basis: exempt              # or consent
//	  authority: tcf             # none, banner, api, tcf, gpp or gcm
//	  regions: {EEA: optin, GB: gb-statistical, US-CA: optout}
//	  default_profile: optout    # a known region no rule matches
//	  gpc_scope: sale-share      # or all-optional
//	  honor_dnt: true
//	  caps: [marketing]          # purposes turned off for the whole site
//	  wait_for_consent: 500ms    # at most 5s
//	  revision: 3                # bump to ask every visitor again
//	  validity: 13mo             # at most 13 months (390d)
//	  retention: {events: 25mo}  # at most 25 months
//	  path_redactions: ["/account/*", "/reset/*"]
//	  query_allowlist: [utm_source, utm_medium, utm_campaign]
type ConsentConfig struct {
	// Basis is the legal basis audience measurement rests on: exempt (the
	// CNIL-style audience-measurement exemption, whose technical conditions
	// are then enforced), consent, or consent-count (consent, and counts
	// only — no visitor key, nothing on the device — before a choice, for a
	// site that documents an exemption for counting).
	Basis string `yaml:"basis"`
	// Authority is the one consent source that can grant: none (region
	// defaults only), banner, api, tcf, gpp or gcm. Every other source can
	// only deny.
	Authority string `yaml:"authority"`
	// Regions map a region ("FR", "US-CA", or "EEA") to a profile: optin,
	// optout, gb-statistical or strictest. The most specific match wins;
	// they override the built-in table.
	Regions map[string]string `yaml:"regions"`
	// DefaultProfile is the profile of a known region no rule matches.
	// An unknown region always gets strictest.
	DefaultProfile string `yaml:"default_profile"`
	// GPCScope is what Global Privacy Control turns off: sale-share
	// (marketing, and the visitor key in opt-in regions) or all-optional.
	GPCScope string `yaml:"gpc_scope"`
	// HonorDNT treats DNT: 1 as an objection in opt-in regions. Unset
	// means the default (on).
	HonorDNT *bool `yaml:"honor_dnt"`
	// Caps are purposes turned off for the whole site: measurement,
	// analytics, interaction or marketing.
	Caps []string `yaml:"caps"`
	// WaitForConsent is how long the page waits for a consent manager
	// before deciding with what it has; at most 5s.
	WaitForConsent time.Duration `yaml:"wait_for_consent"`
	// Revision is bumped to ask every visitor again.
	Revision uint32 `yaml:"revision"`
	// Validity is how long a choice lasts before the visitor is asked
	// again; at most 13 months (390d).
	Validity Period `yaml:"validity"`
	// Retention bounds how long output is kept.
	Retention RetentionConfig `yaml:"retention"`
	// PathRedactions are path patterns whose variable parts are replaced
	// before a row is written: "*" matches one path segment, which is
	// written as "*".
	PathRedactions []string `yaml:"path_redactions"`
	// QueryAllowlist names the query parameters kept in paths and
	// referrers below tier T3; every other parameter is dropped.
	QueryAllowlist []string `yaml:"query_allowlist"`
}

// RetentionConfig bounds how long a site's output is kept.
type RetentionConfig struct {
	// Events is how long event rows are kept; at most 25 months. The
	// collector states it; deleting older partitions is the storage's job.
	Events Period `yaml:"events"`
}

// RegionConfig says where the visitor's region comes from. With nothing
// set every visitor's region is unknown, and the strictest profile applies.
type RegionConfig struct {
	// CountryHeader is a request header holding the visitor's ISO 3166-1
	// country code, like CF-IPCountry. Set it only behind a CDN or proxy
	// that sets the header on every request and removes a client's own:
	// anyone else can send it.
	CountryHeader string `yaml:"country_header"`
	// SubdivisionHeader is a header holding the ISO 3166-2 subdivision,
	// "CA" or "US-CA" (like Cloudflare's cf-region-code); the same caution
	// applies.
	SubdivisionHeader string `yaml:"subdivision_header"`
	// GeoIPDB is a MaxMind-format database (GeoLite2-Country or -City,
	// DB-IP, IPinfo...) looked up when no header gives the country.
	GeoIPDB string `yaml:"geoip_db"`
}

// Limits of a consent policy.
const (
	MaxWaitForConsent = 5 * time.Second
	MaxValidity       = 13 * Month // 390 days
	MaxEventRetention = 25 * Month // 750 days
)
