package consent

import "testing"

func TestTierRoundTrip(t *testing.T) {
	for tier := T0; tier <= T3; tier++ {
		got, ok := ParseTier(tier.String())
		if !ok || got != tier {
			t.Errorf("ParseTier(%q) = %v, %v; want %v, true", tier.String(), got, ok, tier)
		}
	}
	for _, bad := range []string{"", "t2", "T4", "T22"} {
		if _, ok := ParseTier(bad); ok {
			t.Errorf("ParseTier(%q) accepted", bad)
		}
	}
	if Tier(9).String() != "" {
		t.Errorf("out-of-range tier has a name")
	}
}

func TestAllowsVisitorKey(t *testing.T) {
	want := map[Tier]bool{T0: false, T1: false, T2: true, T3: true}
	for tier, w := range want {
		if got := tier.AllowsVisitorKey(); got != w {
			t.Errorf("%v.AllowsVisitorKey() = %v, want %v", tier, got, w)
		}
	}
}
