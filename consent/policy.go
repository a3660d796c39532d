package consent

// Basis is the legal basis a site measures its audience on.
type Basis uint8

const (
	// BasisExempt relies on the audience-measurement exemption (CNIL-style);
	// its technical conditions are enforced and cannot be configured away.
	BasisExempt Basis = iota
	// BasisConsent measures only with consent where consent is required.
	BasisConsent
	// BasisConsentCount is BasisConsent that counts before a choice: T1,
	// no visitor key and nothing on the device, until the visitor decides.
	// Only for a site that documents an exemption for such counting
	// (reference/consent.md §3.2 rule 3).
	BasisConsentCount
)

// GPCScope is what Global Privacy Control turns off.
type GPCScope uint8

const (
	// GPCSaleShare: marketing (sale, sharing, targeted advertising), and in
	// opt-in regions the visitor key too (an Art. 21(5) objection).
	GPCSaleShare GPCScope = iota
	// GPCAllOptional: every optional purpose, everywhere.
	GPCAllOptional
)

// RegionRule maps a region to a profile. Match is a country ("FR"), a
// country and subdivision ("US-CA"), or "EEA" for the EU, Iceland,
// Liechtenstein and Norway. The most specific matching rule wins.
type RegionRule struct {
	Match   string
	Profile Profile
}

// Policy is one site's consent policy, as its owner configured it. The
// collector validates it at start-up and sends it to the page (AppendPolicy,
// ParsePolicy); its hash (AppendHash) travels with each batch. DefaultPolicy
// returns sane defaults; the zero Policy is stricter.
type Policy struct {
	// Revision is bumped by the owner to ask every visitor again.
	Revision uint32
	// Basis is the measurement basis.
	Basis Basis
	// Authority is the one source that can grant; SourceNone means region
	// defaults only.
	Authority Source
	// Regions come before the built-in region table (DefaultRegions): a
	// rule here that matches a region beats every built-in rule. At most
	// MaxRules.
	Regions []RegionRule
	// Default is the profile of a known region no rule matches. Its zero
	// value is ProfileStrictest; owners (or the collector, from
	// DefaultPolicy) set it, usually to ProfileOptOut.
	Default Profile
	// GPCScope is what GPC turns off.
	GPCScope GPCScope
	// HonorDNT treats DNT: 1 like an objection in opt-in regions.
	HonorDNT bool
	// Caps turns purposes off for the whole site: Denied is a cap; Unset and
	// Granted are no cap. A cap on Necessary turns collection off (T0).
	Caps [NumPurposes]State
	// WaitMillis is how long the page waits for a CMP before deciding with
	// what it has.
	WaitMillis uint32
	// ValidityDays is how long a choice holds before the visitor is asked
	// again (at most 390, thirteen months).
	ValidityDays uint32
}
