package consent

import "testing"

func TestProfileFor(t *testing.T) {
	p := DefaultPolicy()
	p.Regions = []RegionRule{{"GB", ProfileGBStatistical}, {"US", ProfileOptIn}, {"US-CA", ProfileOptOut}}
	for _, tc := range []struct {
		r    Region
		want Profile
		why  Reasons
	}{
		{Region{}, ProfileStrictest, ReasonRegionUnknown},
		{Region{Country: "FR"}, ProfileOptIn, 0},
		{Region{Country: "NO"}, ProfileOptIn, 0},
		{Region{Country: "GR"}, ProfileOptIn, 0},
		{Region{Country: "CH"}, ProfileOptIn, 0},
		{Region{Country: "GB"}, ProfileGBStatistical, 0},
		{Region{Country: "US", Subdivision: "CA"}, ProfileOptOut, 0},
		{Region{Country: "US", Subdivision: "TX"}, ProfileOptIn, 0},
		{Region{Country: "JP"}, ProfileOptOut, 0},
		{Region{Country: "E"}, ProfileOptOut, 0},
	} {
		if got, why := p.ProfileFor(tc.r); got != tc.want || why != tc.why {
			t.Errorf("ProfileFor(%+v) = %v, %v; want %v", tc.r, got, why, tc.want)
		}
	}
	var zero Policy
	if got, _ := zero.ProfileFor(Region{Country: "JP"}); got != ProfileStrictest {
		t.Errorf("zero policy's default = %v", got)
	}
	if got, _ := zero.ProfileFor(Region{Country: "US", Subdivision: "CA"}); got != ProfileOptOut {
		t.Errorf("built-in US = %v", got)
	}
	zero.Default = 99
	if got, _ := zero.ProfileFor(Region{Country: "JP"}); got != ProfileStrictest {
		t.Errorf("out-of-range default = %v", got)
	}
	if len(DefaultRegions()) != 4 || !ValidRegionMatch("EEA") || ValidRegionMatch("") || ValidRegionMatch("eea") {
		t.Error("DefaultRegions / ValidRegionMatch")
	}
}
