package consent

// defaults holds, per profile, bit 1<<purpose for each purpose the region
// allows while the authoritative source says nothing (§2.5). ProfileOff
// allows everything here because Decide sends nothing there at all; that
// keeps NO_CHOICE out of its reasons.
var defaults = [NumProfiles]uint8{
	ProfileStrictest:     1 << Necessary,
	ProfileOptIn:         1 << Necessary,
	ProfileGBStatistical: 1<<Necessary | 1<<Measurement | 1<<Analytics,
	ProfileOptOut:        1<<NumPurposes - 1,
	ProfileOff:           1<<NumPurposes - 1,
}

// Decide returns what may be collected under policy p, signals s and region
// r. Per purpose, the effective state is the lowest of the site's cap, the
// region's profile, every source's denial, and the authoritative source's
// choice, or the region's default where it has none. Only p.Authority can
// grant. Then:
//
//   - T3 needs measurement and analytics allowed and device storage;
//     T2 needs measurement; T1 (counts only) needs measurement, or the exempt
//     basis, or a region that does not require consent for counting;
//     otherwise T0.
//   - GPC turns marketing off everywhere; in the GDPR-style profiles
//     (strictest, optin, gb-statistical) it is an Art. 21(5) objection and
//     caps the tier at T1. With GPCAllOptional it turns every optional purpose
//     off everywhere. DNT, when p.HonorDNT, counts like GPC in GDPR-style
//     profiles, and everywhere with GPCAllOptional; elsewhere it is ignored.
//   - A US opt-out turns marketing off; the site's own opt-out, ProfileOff
//     and a cap on Necessary give T0.
//   - Interaction and Marketing need their purpose allowed and a tier of at
//     least T2.
//
// A nil p is the zero Policy; a nil s, no signals. Decide is deterministic
// and monotone: a further denial, opt-out, invalid source or cap never
// raises the tier or a flag.
func Decide(p *Policy, s *Signals, r Region) Decision {
	if p == nil {
		p = new(Policy)
	}
	if s == nil {
		s = new(Signals)
	}
	prof, why := p.ProfileFor(r)
	return DecideFor(p, s, prof, why)
}

// DecideFor is Decide for a visitor whose profile is already known: prof
// and why are what (*Policy).ProfileFor returned for their region. The page
// calls it with the profile the edge resolved (GET /c's third line), so it
// needs neither the region rules nor the built-in table; Decide is
// DecideFor(p, s, p.ProfileFor(r)). A nil p or s is as for Decide.
func DecideFor(p *Policy, s *Signals, prof Profile, why Reasons) Decision {
	if p == nil {
		p = new(Policy)
	}
	if s == nil {
		s = new(Signals)
	}
	var allow [NumPurposes]bool
	for q := Measurement; q < NumPurposes; q++ {
		allow[q], why = resolve(p, s, prof, q, why)
	}
	for src := SourceBanner; src < NumSources; src++ {
		if s.Invalid&(1<<src) != 0 {
			why |= InvalidReason(src)
		}
	}
	gdpr := prof != ProfileOptOut
	dnt := s.DNT && p.HonorDNT && (gdpr || p.GPCScope == GPCAllOptional)
	top := T3
	for i, on := range [2]bool{s.GPC, dnt} {
		if !on {
			continue
		}
		why |= ReasonGPC << i // ReasonDNT follows ReasonGPC
		allow[Marketing] = false
		if gdpr {
			top = T1
		}
		if p.GPCScope == GPCAllOptional {
			allow = [NumPurposes]bool{true}
		}
	}
	if s.USOptOut {
		allow[Marketing], why = false, why|ReasonUSOptOut
	}
	if s.NoStorage {
		why |= ReasonStorageDenied
	}
	t := T0
	if allow[Measurement] || p.Basis == BasisExempt || p.Basis == BasisConsentCount || prof >= ProfileGBStatistical {
		t = T1
	}
	if allow[Measurement] {
		t = T2
		if allow[Analytics] && !s.NoStorage {
			t = T3
		}
	}
	t = min(t, top)
	if s.OptOut {
		t, why = T0, why|ReasonOptOut
	}
	if p.Caps[Necessary] == Denied {
		t, why = T0, why|ReasonSiteCap
	}
	if prof == ProfileOff {
		t = T0
	}
	return Decision{Tier: t, Profile: prof, Reasons: why,
		Interaction: t >= T2 && allow[Interaction], Marketing: t >= T2 && allow[Marketing]}
}

// resolve returns whether purpose q is allowed before the privacy signals,
// and why adds the reasons that lowered it. Not inlined: the tracker module
// is smaller.
//
//go:noinline
func resolve(p *Policy, s *Signals, prof Profile, q Purpose, why Reasons) (bool, Reasons) {
	var auth State
	if a := p.Authority; a > SourceNone && a < NumSources && s.Invalid&(1<<a) == 0 {
		auth = s.Choices[a].States[q]
	}
	ok := auth == Granted
	if auth == Unset {
		ok = prof < NumProfiles && defaults[prof]&(1<<q) != 0 ||
			q == Measurement && p.Basis == BasisExempt && prof <= ProfileOptIn
		if !ok {
			why |= ReasonNoChoice
		}
	}
	for src := SourceBanner; src < NumSources; src++ {
		if s.Choices[src].States[q] == Denied {
			ok, why = false, why|DeniedReason(q)|DeniedByReason(src)
		}
	}
	if p.Caps[q] == Denied {
		ok, why = false, why|ReasonSiteCap
	}
	return ok, why
}

// Lower returns the lower of a and b: the lower tier, each flag only if both
// allow it, the reasons of both, and the stricter profile. It is what the
// collector clamps an event to: Lower(page's decision, its own).
func Lower(a, b Decision) Decision {
	out := Decision{Tier: min(a.Tier, b.Tier), Interaction: a.Interaction && b.Interaction,
		Marketing: a.Marketing && b.Marketing, Reasons: a.Reasons | b.Reasons, Profile: a.Profile}
	if strictness(b.Profile) > strictness(a.Profile) ||
		strictness(b.Profile) == strictness(a.Profile) && b.Profile < a.Profile {
		out.Profile = b.Profile
	}
	return out
}

// strictness orders profiles from the least strict (optout) to the most
// (off); values out of range count as the strictest.
func strictness(p Profile) int {
	switch p {
	case ProfileOptOut:
		return 0
	case ProfileGBStatistical:
		return 1
	case ProfileOptIn:
		return 2
	case ProfileStrictest:
		return 3
	}
	return 4
}
