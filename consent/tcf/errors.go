package tcf

// Level is a validation level (consent.md §4.1.5). Decode errors and policy
// errors both mean the string is treated as absent; a stale string was valid
// once and only needs asking again.
type Level uint8

const (
	// LevelDecode: the string is not a well-formed TC string.
	LevelDecode Level = iota + 1
	// LevelPolicy: well-formed, but invalid under current TCF policy.
	LevelPolicy
	// LevelStale: valid, but LastUpdated is older than the validity period.
	LevelStale
)

func (l Level) String() string {
	switch l {
	case LevelDecode:
		return "decode"
	case LevelPolicy:
		return "policy"
	case LevelStale:
		return "stale"
	}
	return "unknown"
}

// Reasons: short, stable, machine-readable (for a collector counter).
const (
	// Decode level.
	ReasonTooLong          = "too_long"
	ReasonEmpty            = "empty"
	ReasonBase64           = "bad_base64"
	ReasonTruncated        = "truncated"
	ReasonVersion          = "bad_version"
	ReasonLetters          = "bad_letters"
	ReasonVendorID         = "bad_vendor_id"
	ReasonRange            = "bad_range"
	ReasonSegmentType      = "bad_segment_type"
	ReasonDuplicateSegment = "duplicate_segment"

	// Policy level.
	ReasonPolicyVersion      = "policy_version"
	ReasonNotServiceSpecific = "not_service_specific"
	ReasonLIForbidden        = "li_forbidden_purpose"
	ReasonNoDisclosedVendors = "no_disclosed_vendors"
	ReasonFuture             = "future_timestamp"

	// Stale level.
	ReasonStale = "stale"
)

// Error is the error type of Decode and Validate.
type Error struct {
	Level Level
	// Reason is one of the Reason constants.
	Reason string
	// Detail is a short human-readable explanation.
	Detail string
}

func (e *Error) Error() string {
	return "tcf: " + e.Level.String() + ": " + e.Reason + ": " + e.Detail
}

func decodeErr(reason, detail string) *Error {
	return &Error{Level: LevelDecode, Reason: reason, Detail: detail}
}

func policyErr(reason, detail string) *Error {
	return &Error{Level: LevelPolicy, Reason: reason, Detail: detail}
}
