package consent

import "testing"

var (
	fr   = Region{Country: "FR"}
	usCA = Region{Country: "US", Subdivision: "CA"}
	us   = Region{Country: "US"}
)

// policyWith returns DefaultPolicy with basis b and authority a.
func policyWith(b Basis, a Source) *Policy {
	p := DefaultPolicy()
	p.Basis, p.Authority = b, a
	return &p
}

func choice(m, a, i, k State) Choice {
	return Choice{States: [NumPurposes]State{Unset, m, a, i, k}, At: 1}
}

func check(t *testing.T, d Decision, tier Tier, interaction, marketing bool, has Reasons) {
	t.Helper()
	if d.Tier != tier || d.Interaction != interaction || d.Marketing != marketing || !d.Reasons.Has(has) {
		t.Errorf("got %v i=%v m=%v reasons %s; want %v i=%v m=%v with %s", d.Tier, d.Interaction, d.Marketing,
			d.Reasons.AppendNames(nil), tier, interaction, marketing, has.AppendNames(nil))
	}
}

func TestRule1EUExemptNoChoiceT2(t *testing.T) {
	d := Decide(policyWith(BasisExempt, SourceBanner), &Signals{}, fr)
	check(t, d, T2, false, false, ReasonNoChoice)
	if d.Profile != ProfileOptIn {
		t.Errorf("profile %v", d.Profile)
	}
}

func TestRule2EUExemptGPCT1(t *testing.T) {
	d := Decide(policyWith(BasisExempt, SourceBanner), &Signals{GPC: true}, fr)
	check(t, d, T1, false, false, ReasonGPC)
	if d.Tier.AllowsVisitorKey() {
		t.Error("T1 allows a visitor key")
	}
}

func TestRule3EUConsentNoChoiceT0(t *testing.T) {
	d := Decide(policyWith(BasisConsent, SourceBanner), &Signals{}, fr)
	check(t, d, T0, false, false, ReasonNoChoice)
}

// Rule 3's exception: a site that documents an exemption for counting may
// count before the choice (T1: no visitor key), and a grant still raises.
func TestRule3ConsentCountCountsBeforeTheChoice(t *testing.T) {
	p := policyWith(BasisConsentCount, SourceBanner)
	check(t, Decide(p, &Signals{}, fr), T1, false, false, ReasonNoChoice)
	var s Signals
	s.Choices[SourceBanner] = choice(Granted, Granted, Unset, Unset)
	check(t, Decide(p, &s, fr), T3, false, false, 0)
	s.OptOut = true
	if d := Decide(p, &s, fr); d.Tier != T0 {
		t.Errorf("opt-out on consent-count: %v, want T0", d.Tier)
	}
}

func TestRule4EUGrantAnalyticsT3(t *testing.T) {
	for _, b := range []Basis{BasisExempt, BasisConsent} {
		var s Signals
		s.Choices[SourceBanner] = choice(Granted, Granted, Unset, Unset)
		check(t, Decide(policyWith(b, SourceBanner), &s, fr), T3, false, false, 0)
		// A grant from a source that is not the authority raises nothing.
		var o Signals
		o.Choices[SourceAPI] = s.Choices[SourceBanner]
		if d := Decide(policyWith(b, SourceBanner), &o, fr); d.Tier == T3 {
			t.Errorf("basis %v: non-authoritative grant gave T3", b)
		}
	}
}

func TestRule5EUWithdrawDrops(t *testing.T) {
	p := policyWith(BasisExempt, SourceBanner)
	var s Signals
	s.Choices[SourceBanner] = choice(Granted, Denied, Denied, Denied)
	check(t, Decide(p, &s, fr), T2, false, false, ReasonDeniedAnalytics|ReasonDeniedByBanner)
	s.Choices[SourceBanner] = choice(Denied, Denied, Denied, Denied)
	check(t, Decide(p, &s, fr), T1, false, false, ReasonDeniedMeasurement)
	p.Basis = BasisConsent
	check(t, Decide(p, &s, fr), T0, false, false, ReasonDeniedMeasurement)
}

func TestRule6USCaliforniaGPC(t *testing.T) {
	p := policyWith(BasisExempt, SourceBanner)
	check(t, Decide(p, &Signals{}, usCA), T3, true, true, 0)
	check(t, Decide(p, &Signals{GPC: true}, usCA), T3, true, false, ReasonGPC)
	check(t, Decide(p, &Signals{USOptOut: true}, usCA), T3, true, false, ReasonUSOptOut)
}

func TestRule7TCF(t *testing.T) {
	const p1, p7, p8, p9 = 1 << 0, 1 << 6, 1 << 7, 1 << 8
	tcf := func(b Basis, r Region, applies bool, consents, li uint32) Decision {
		c, why := TCFChoice(applies, consents, li, 1)
		var s Signals
		s.Choices[SourceTCF], s.NoStorage = c, why.Has(ReasonStorageDenied)
		return Decide(policyWith(b, SourceTCF), &s, r)
	}
	// Not applicable: the region default.
	check(t, tcf(BasisExempt, fr, false, 0, 0), T2, false, false, ReasonNoChoice)
	check(t, tcf(BasisExempt, us, false, 0, 0), T3, true, true, 0)
	// {1, 8} or {1, 9}: T3.
	check(t, tcf(BasisConsent, fr, true, p1|p8, 0), T3, true, false, 0)
	check(t, tcf(BasisConsent, fr, true, p1|p9, 0), T3, true, false, 0)
	check(t, tcf(BasisConsent, fr, true, p1|p7|p8, 0), T3, true, true, 0)
	// No purpose 1: no device storage, at most T2.
	check(t, tcf(BasisConsent, fr, true, p8|p9|p7, 0), T2, false, false, ReasonStorageDenied|ReasonDeniedByTCF)
	// Consent basis: T2 needs 8 or 9; LI bits do not count.
	check(t, tcf(BasisConsent, fr, true, p1, 1<<10-1), T0, false, false, ReasonNoChoice)
	check(t, tcf(BasisConsent, fr, true, 0, 1<<10-1), T0, false, false, ReasonNoChoice)
	// Exempt: T2 whatever the string says.
	check(t, tcf(BasisExempt, fr, true, 0, 0), T2, false, false, ReasonDeniedAnalytics)
	// A string failing validation counts as unset, with TCF_INVALID.
	inv := Signals{Invalid: 1 << SourceTCF}
	check(t, Decide(policyWith(BasisExempt, SourceTCF), &inv, fr), T2, false, false, ReasonInvalidTCF)
	check(t, Decide(policyWith(BasisConsent, SourceTCF), &inv, fr), T0, false, false, ReasonInvalidTCF)
}

func TestRule8GCM(t *testing.T) {
	decide := func(g *GCMAt, r Region) Decision {
		var s Signals
		g.SetRegion(AppendRegion(nil, r)) // only updates here: the region does not change the states
		s.Choices[SourceGCM] = g.Choice()
		return Decide(policyWith(BasisConsent, SourceGCM), &s, r)
	}
	var g GCMAt
	g.Command([]byte("update"), []byte("analytics_storage"), []byte("granted"))
	check(t, decide(&g, fr), T3, true, false, 0)
	g.Command([]byte("update"), []byte("ad_storage"), []byte("granted"), []byte("ad_user_data"), []byte("granted"))
	check(t, decide(&g, fr), T3, true, true, 0)
	// A key absent from both default and update is unset.
	var h GCMAt
	h.Command([]byte("update"), []byte("ad_storage"), []byte("granted"))
	check(t, decide(&h, fr), T0, false, false, ReasonNoChoice)
	check(t, decide(&h, us), T3, true, true, 0)
}

func TestRule9RegionUnknownStrictest(t *testing.T) {
	p := DefaultPolicy()
	d := Decide(&p, &Signals{}, Region{})
	check(t, d, T2, false, false, ReasonRegionUnknown|ReasonNoChoice)
	if d.Profile != ProfileStrictest {
		t.Errorf("profile %v", d.Profile)
	}
	p.Basis = BasisConsent
	check(t, Decide(&p, &Signals{}, Region{}), T0, false, false, ReasonRegionUnknown)
}

func TestRule10ClampToLower(t *testing.T) {
	page := Decision{Tier: T3, Interaction: true, Marketing: true, Profile: ProfileOptOut}
	p := policyWith(BasisExempt, SourceBanner)
	var s Signals
	s.Choices[SourceBanner] = choice(Granted, Unset, Unset, Unset)
	edge := Decide(p, &s, fr)
	got := Lower(page, edge)
	check(t, got, T2, false, false, ReasonNoChoice)
	if got.Profile != ProfileOptIn || got != Lower(edge, page) {
		t.Errorf("Lower = %+v", got)
	}
}

func TestDNT(t *testing.T) {
	p := policyWith(BasisExempt, SourceNone)
	check(t, Decide(p, &Signals{DNT: true}, fr), T1, false, false, ReasonDNT)
	check(t, Decide(p, &Signals{DNT: true}, us), T3, true, true, 0)
	p.GPCScope = GPCAllOptional
	check(t, Decide(p, &Signals{DNT: true}, us), T1, false, false, ReasonDNT)
	p.HonorDNT = false
	check(t, Decide(p, &Signals{DNT: true}, fr), T2, false, false, 0)
	if Decide(p, &Signals{DNT: true}, fr).Reasons.Has(ReasonDNT) {
		t.Error("DNT named though not honoured")
	}
}

func TestGPCAllOptional(t *testing.T) {
	p := policyWith(BasisExempt, SourceBanner)
	p.GPCScope = GPCAllOptional
	var s Signals
	s.GPC = true
	s.Choices[SourceBanner] = choice(Granted, Granted, Granted, Granted)
	check(t, Decide(p, &s, us), T1, false, false, ReasonGPC)
	check(t, Decide(p, &s, fr), T1, false, false, ReasonGPC)
}

func TestOptOutCapsAndOff(t *testing.T) {
	p := policyWith(BasisExempt, SourceNone)
	check(t, Decide(p, &Signals{OptOut: true}, us), T0, false, false, ReasonOptOut)
	p.Caps[Marketing] = Denied
	check(t, Decide(p, &Signals{}, us), T3, true, false, ReasonSiteCap)
	p.Caps[Necessary] = Denied
	check(t, Decide(p, &Signals{}, us), T0, false, false, ReasonSiteCap)
	q := policyWith(BasisExempt, SourceNone)
	q.Regions = []RegionRule{{"US-TX", ProfileOff}}
	check(t, Decide(q, &Signals{}, Region{"US", "TX"}), T0, false, false, ReasonRegionOff)
	check(t, Decide(q, &Signals{}, us), T3, true, true, 0)
}

func TestRestrictOnlyDenies(t *testing.T) {
	p := policyWith(BasisConsent, SourceBanner)
	var s Signals
	s.Choices[SourceBanner] = choice(Granted, Granted, Granted, Granted)
	s.Choices[SourceGCM] = choice(Unset, Unset, Unset, Denied)
	check(t, Decide(p, &s, fr), T3, true, false, ReasonDeniedMarketing|ReasonDeniedByGCM)
	// An invalid source's grants are ignored; its denials still hold.
	s.Invalid = 1 << SourceBanner
	check(t, Decide(p, &s, fr), T0, false, false, ReasonInvalidBanner|ReasonNoChoice)
}

func TestGBStatistical(t *testing.T) {
	p := policyWith(BasisConsent, SourceBanner)
	p.Regions = []RegionRule{{"GB", ProfileGBStatistical}}
	gb := Region{Country: "GB"}
	check(t, Decide(p, &Signals{}, gb), T3, false, false, ReasonNoChoice)
	check(t, Decide(p, &Signals{NoStorage: true}, gb), T2, false, false, ReasonStorageDenied)
	check(t, Decide(p, &Signals{GPC: true}, gb), T1, false, false, ReasonGPC)
}

func TestDecideNil(t *testing.T) {
	check(t, Decide(nil, nil, fr), T2, false, false, ReasonNoChoice)
}
