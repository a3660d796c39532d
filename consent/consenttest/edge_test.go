package consenttest

import (
	"testing"

	"github.com/crumbless/crumbless/consent"
)

// TestDecideForIsDecide: the page's half (ParsePolicyHead, the profile
// letter the edge sends, DecideFor) decides exactly as Decide.
func TestDecideForIsDecide(t *testing.T) {
	for i, c := range Cases(7, 5000) {
		enc := consent.AppendPolicy(nil, &c.Policy)
		var head consent.Policy
		if !consent.ParsePolicyHead(&head, enc) {
			t.Fatalf("case %d: ParsePolicyHead refused %q", i, enc)
		}
		full, _ := consent.ParsePolicy(enc)
		full.Regions = nil
		if !equalPolicy(&head, &full) {
			t.Fatalf("case %d: head %+v, full %+v", i, head, full)
		}
		prof, why := c.Policy.ProfileFor(c.Region)
		got, ok := consent.ParseProfileLetter(consent.AppendProfileLetter(nil, prof))
		if !ok || got != prof {
			t.Fatalf("case %d: profile %v round-trips to %v %v", i, prof, got, ok)
		}
		if d, want := consent.DecideFor(&head, &c.Signals, got, why), c.Decide(); d != want {
			t.Fatalf("case %d: DecideFor %+v, Decide %+v", i, d, want)
		}
	}
	for _, bad := range []string{"", "q", "ss", "?"} {
		if _, ok := consent.ParseProfileLetter([]byte(bad)); ok {
			t.Errorf("ParseProfileLetter(%q) accepted", bad)
		}
	}
}

func equalPolicy(a, b *consent.Policy) bool {
	return string(consent.AppendPolicy(nil, a)) == string(consent.AppendPolicy(nil, b))
}
