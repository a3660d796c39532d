package consent

// Reason codes, one bit each. The bit positions and names are stable: they
// are stored, sent and used as metric labels. Add new codes at the end.
const (
	// ReasonGPC: Global Privacy Control turned marketing off (and in
	// GDPR-style regions objected, capping the tier at T1).
	ReasonGPC Reasons = 1 << iota
	// ReasonDNT: Do Not Track was honoured (Policy.HonorDNT).
	ReasonDNT
	// ReasonOptOut: the visitor used the site's own opt-out: T0.
	ReasonOptOut
	// ReasonUSOptOut: a GPP US sale, sharing or targeted-advertising opt-out.
	ReasonUSOptOut
	// ReasonRegionUnknown: the region is unknown, so the strictest profile.
	ReasonRegionUnknown
	// ReasonRegionOff: the region's profile is ProfileOff: T0.
	ReasonRegionOff
	// ReasonNoChoice: a purpose needs consent in this region and the
	// authoritative source has not given it (yet).
	ReasonNoChoice
	// ReasonSiteCap: the site's policy caps a purpose (Policy.Caps).
	ReasonSiteCap
	// ReasonStorageDenied: no device storage (unavailable, or refused as
	// TCF purpose 1), so no T3.
	ReasonStorageDenied
	// ReasonDenied<Purpose>: a source denied the purpose.
	ReasonDeniedMeasurement
	ReasonDeniedAnalytics
	ReasonDeniedInteraction
	ReasonDeniedMarketing
	// ReasonDeniedBy<Source>: the source denied some purpose.
	ReasonDeniedByBanner
	ReasonDeniedByAPI
	ReasonDeniedByTCF
	ReasonDeniedByGPP
	ReasonDeniedByGCM
	// ReasonInvalid<Source>: the source's input failed validation; its
	// grants count as unset.
	ReasonInvalidBanner
	ReasonInvalidAPI
	ReasonInvalidTCF
	ReasonInvalidGPP
	ReasonInvalidGCM
	// ReasonClamped is never set by Decide: the collector adds it to an
	// event it lowered below the page's own decision.
	ReasonClamped

	numReasons = iota
)

var reasonNames = [numReasons]string{
	"GPC", "DNT", "OPT_OUT", "US_OPT_OUT", "REGION_UNKNOWN_STRICT", "REGION_OFF",
	"NO_CHOICE", "SITE_CAP", "STORAGE_DENIED",
	"MEASUREMENT_DENIED", "ANALYTICS_DENIED", "INTERACTION_DENIED", "MARKETING_DENIED",
	"BANNER_DENIED", "API_DENIED", "TCF_DENIED", "GPP_DENIED", "GCM_DENIED",
	"BANNER_INVALID", "API_INVALID", "TCF_INVALID", "GPP_INVALID", "GCM_INVALID",
	"CLAMPED",
}

// ReasonNames returns every reason's name, indexed by bit position, for
// callers that create one metric per reason up front.
func ReasonNames() []string { return append([]string(nil), reasonNames[:]...) }

// DeniedReason returns ReasonDenied<p>; 0 for Necessary or out of range.
func DeniedReason(p Purpose) Reasons {
	if p == Necessary || p >= NumPurposes {
		return 0
	}
	return ReasonDeniedMeasurement << (p - Measurement)
}

// DeniedByReason returns ReasonDeniedBy<s>; 0 for SourceNone.
func DeniedByReason(s Source) Reasons {
	if s == SourceNone || s >= NumSources {
		return 0
	}
	return ReasonDeniedByBanner << (s - SourceBanner)
}

// InvalidReason returns ReasonInvalid<s>; 0 for SourceNone.
func InvalidReason(s Source) Reasons {
	if s == SourceNone || s >= NumSources {
		return 0
	}
	return ReasonInvalidBanner << (s - SourceBanner)
}

// AppendNames appends r's names in bit order, comma-separated, like
// "GPC,TCF_INVALID,REGION_UNKNOWN_STRICT"; unknown bits are left out.
func (r Reasons) AppendNames(dst []byte) []byte {
	sep := false
	for i, n := range reasonNames {
		if r&(1<<i) != 0 {
			if sep {
				dst = append(dst, ',')
			}
			dst, sep = append(dst, n...), true
		}
	}
	return dst
}

// ParseReasons reads AppendNames's output: names separated by commas, in
// any order. ok is false for an unknown name or an empty element.
func ParseReasons(src []byte) (r Reasons, ok bool) {
	if len(src) == 0 {
		return 0, true
	}
	for src != nil {
		var name []byte
		name, src = cut(src, ',')
		bit := -1
		for i, n := range reasonNames {
			if string(name) == n {
				bit = i
			}
		}
		if bit < 0 {
			return 0, false
		}
		r |= 1 << bit
	}
	return r, true
}

// Equal reports whether b holds s. (string(b) == s would do, but TinyGo
// makes a heap copy of b for it; the tracker shares this one.)
func Equal(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if b[i] != s[i] {
			return false
		}
	}
	return true
}

// cut splits b at the first sep. rest is nil when sep is absent, and
// non-nil (perhaps empty) when it is present.
func cut(b []byte, sep byte) (head, rest []byte) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}
