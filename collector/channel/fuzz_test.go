package channel

import (
	"slices"
	"testing"
)

var channels = []string{Direct, Internal, OrganicSearch, PaidSearch, OrganicSocial, PaidSocial, Email,
	Affiliate, Display, Video, SMS, AIAssistant, PaidOther, Referral, Unassigned}

// FuzzClassify checks that any input gets one of the channels, without
// panicking, and that the source is never invented from nothing.
func FuzzClassify(f *testing.F) {
	f.Add("https://www.google.com/", "", "", "", "")
	f.Add("android-app://com.google.android.gm/", "Newsletter", "E-Mail", "nov", "gclid")
	f.Add("https://[::1]:8080/x", "", "", "", "fbclid")
	f.Add("://", "x.", ".", "", "")
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ref, src, medium, campaign, click string) {
		in := Input{Referrer: []byte(ref), UTMSource: []byte(src), UTMMedium: []byte(medium),
			UTMCampaign: []byte(campaign), Click: []byte(click), Own: own}
		r := c.Classify(&in)
		if !slices.Contains(channels, r.Channel) {
			t.Fatalf("channel %q", r.Channel)
		}
		if (r.Channel == Direct || r.Channel == Internal) && len(r.Source) > 0 {
			t.Fatalf("%s with source %q", r.Channel, r.Source)
		}
	})
}
