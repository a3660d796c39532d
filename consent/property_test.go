package consent_test

import (
	"math/rand"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/consent/consenttest"
)

const propertyCases = 20000

// notAbove reports whether b is no more than a: tier and every flag.
func notAbove(b, a consent.Decision) bool {
	return b.Tier <= a.Tier && (!b.Interaction || a.Interaction) && (!b.Marketing || a.Marketing)
}

// restrictions are the deny-only changes to a case; each must never raise
// the decision.
var restrictions = []struct {
	name  string
	apply func(c *consenttest.Case, rng *rand.Rand)
}{
	{"GPC", func(c *consenttest.Case, _ *rand.Rand) { c.Signals.GPC = true }},
	{"DNT", func(c *consenttest.Case, _ *rand.Rand) { c.Signals.DNT = true }},
	{"OptOut", func(c *consenttest.Case, _ *rand.Rand) { c.Signals.OptOut = true }},
	{"USOptOut", func(c *consenttest.Case, _ *rand.Rand) { c.Signals.USOptOut = true }},
	{"NoStorage", func(c *consenttest.Case, _ *rand.Rand) { c.Signals.NoStorage = true }},
	{"Denied", func(c *consenttest.Case, rng *rand.Rand) {
		c.Signals.Choices[rng.Intn(int(consent.NumSources))].States[rng.Intn(int(consent.NumPurposes))] = consent.Denied
	}},
	{"Invalid", func(c *consenttest.Case, rng *rand.Rand) { c.Signals.Invalid |= 1 << rng.Intn(8) }},
	{"SiteCap", func(c *consenttest.Case, rng *rand.Rand) {
		c.Policy.Caps[rng.Intn(int(consent.NumPurposes))] = consent.Denied
	}},
}

func TestDecideMonotone(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i, c := range consenttest.Cases(1, propertyCases) {
		before := c.Decide()
		for _, r := range restrictions {
			m := c
			m.Policy.Regions = append([]consent.RegionRule(nil), c.Policy.Regions...)
			r.apply(&m, rng)
			if after := m.Decide(); !notAbove(after, before) {
				t.Fatalf("case %d: %s raised %+v to %+v (case %+v)", i, r.name, before, after, c)
			}
		}
		// All of them at once too.
		m := c
		for _, r := range restrictions {
			r.apply(&m, rng)
		}
		if after := m.Decide(); !notAbove(after, before) || after.Tier != consent.T0 {
			t.Fatalf("case %d: every restriction gave %+v", i, after)
		}
	}
}

func TestDecideDeterministic(t *testing.T) {
	a, b := consenttest.Cases(3, propertyCases), consenttest.Cases(3, propertyCases)
	for i := range a {
		d := a[i].Decide()
		if d != a[i].Decide() || d != b[i].Decide() {
			t.Fatalf("case %d: decisions differ", i)
		}
		if d.Tier < consent.T2 && (d.Interaction || d.Marketing) {
			t.Fatalf("case %d: flags below T2: %+v", i, d)
		}
	}
}

func TestLowerCommutativeNeverRaises(t *testing.T) {
	cs := consenttest.Cases(4, propertyCases)
	for i := 1; i < len(cs); i++ {
		a, b := cs[i-1].Decide(), cs[i].Decide()
		l := consent.Lower(a, b)
		if l != consent.Lower(b, a) || !notAbove(l, a) || !notAbove(l, b) || consent.Lower(a, a) != a {
			t.Fatalf("case %d: Lower(%+v, %+v) = %+v", i, a, b, l)
		}
		if !l.Reasons.Has(a.Reasons | b.Reasons) {
			t.Fatalf("case %d: Lower lost reasons", i)
		}
	}
}

// TestEncodedCasesDecideAlike checks that what the page sends the
// collector (policy, signals, region) decides the same once parsed.
func TestEncodedCasesDecideAlike(t *testing.T) {
	for i, c := range consenttest.Cases(5, propertyCases) {
		p, ok1 := consent.ParsePolicy(consent.AppendPolicy(nil, &c.Policy))
		s, ok2 := consent.ParseSignals(consent.AppendSignals(nil, &c.Signals))
		r, ok3 := consent.ParseRegion(consent.AppendRegion(nil, c.Region))
		if !ok1 || !ok2 || !ok3 || s != c.Signals || r != c.Region {
			t.Fatalf("case %d: round trip failed: %v %v %v", i, ok1, ok2, ok3)
		}
		if string(p.AppendHash(nil)) != string(c.Policy.AppendHash(nil)) {
			t.Fatalf("case %d: policy changed in a round trip", i)
		}
		if consent.Decide(&p, &s, r) != c.Decide() {
			t.Fatalf("case %d: parsed inputs decide differently", i)
		}
	}
}
