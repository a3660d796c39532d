package consent

// eea lists the EU-27 and Iceland, Liechtenstein and Norway, two letters each.
const eea = "ATBEBGHRCYCZDKEEFIFRDEGRHUIEITLVLTLUMTNLPLPTROSKSIESSEISLINO"

var builtinRegions = [...]RegionRule{
	{"EEA", ProfileOptIn}, {"CH", ProfileOptIn}, {"GB", ProfileOptIn}, {"US", ProfileOptOut},
}

// DefaultRegions returns the built-in region table: the EEA, Switzerland and
// the United Kingdom opt-in, the United States opt-out. Policy.Regions rules
// come before it: a policy rule that matches a region always beats a
// built-in one, so an owner overrides what they name and keeps the rest.
func DefaultRegions() []RegionRule { return append([]RegionRule(nil), builtinRegions[:]...) }

// DefaultPolicy returns the policy the collector starts a site's from:
// the exempt basis, no authoritative source (region defaults only),
// opt-out where no rule matches, DNT honoured, GPC for sale and sharing,
// 500 ms for a CMP, and choices held for 390 days.
//
// The zero Policy is stricter: its Default is ProfileStrictest, so a known
// region that no rule matches is treated as opt-in. Owners (or the
// collector) set Default.
func DefaultPolicy() Policy {
	return Policy{Basis: BasisExempt, Authority: SourceNone, Default: ProfileOptOut,
		GPCScope: GPCSaleShare, HonorDNT: true, WaitMillis: 500, ValidityDays: 390}
}

// ProfileFor returns r's profile under p: the most specific matching rule
// of p.Regions ("US-CA" beats "US" beats "EEA"), else of the built-in table,
// else p.Default. An unknown region (empty Country) is ProfileStrictest,
// with ReasonRegionUnknown; ProfileOff comes with ReasonRegionOff.
func (p *Policy) ProfileFor(r Region) (Profile, Reasons) {
	if r.Country == "" {
		return ProfileStrictest, ReasonRegionUnknown
	}
	prof, ok := bestRule(p.Regions, r)
	if !ok {
		prof, ok = bestRule(builtinRegions[:], r)
	}
	if !ok {
		prof = p.Default
	}
	if prof >= NumProfiles {
		prof = ProfileStrictest
	}
	if prof == ProfileOff {
		return prof, ReasonRegionOff
	}
	return prof, 0
}

// bestRule returns the profile of the most specific rule matching r; the
// first of equally specific ones.
func bestRule(rules []RegionRule, r Region) (Profile, bool) {
	best, bestLevel := Profile(0), 0
	for _, rule := range rules {
		if l := matchLevel(rule.Match, r); l > bestLevel {
			best, bestLevel = rule.Profile, l
		}
	}
	return best, bestLevel > 0
}

// matchLevel is 3 when m names r's subdivision, 2 its country, 1 a group
// holding its country, and 0 when m does not match r.
func matchLevel(m string, r Region) int {
	c := r.Country
	switch {
	case m == "EEA" && inEEA(c):
		return 1
	case m == c:
		return 2
	case r.Subdivision != "" && len(m) == len(c)+1+len(r.Subdivision) &&
		m[:len(c)] == c && m[len(c)] == '-' && m[len(c)+1:] == r.Subdivision:
		return 3
	}
	return 0
}

func inEEA(c string) bool {
	for i := 0; len(c) == 2 && i < len(eea); i += 2 {
		if eea[i:i+2] == c {
			return true
		}
	}
	return false
}

// ValidRegionMatch reports whether m is a RegionRule.Match that ParsePolicy
// accepts: "EEA", a country ("FR") or a country and subdivision ("US-CA").
func ValidRegionMatch(m string) bool {
	if m == "EEA" {
		return true
	}
	return validRegion([]byte(m))
}
