package gpp

import (
	"errors"
	"testing"
)

// fuzzSeeds are the vectors of gpp_test.go (sources cited there).
var fuzzSeeds = []string{
	"DBAA",
	"DBABMA~" + tcfCPXx,
	"DBACNYA~" + tcfCPXx + "~1YNN",
	"DBACNY~" + tcfCPXx + "~1YNN",
	"DBABjw~" + tcfCPXx + "~1YNN",
	"DBABBgA~xlgWEYCZAA",
	"DBABzw~1YNN~BVVqAAEABCA.QA",
	"DBACLMA~BVVqAAEABCA~BVoYYYI",
	"DBABrGA~BVVqAAEABCA~BVoYYZoI~BVoYYYI~BVoYYQg~BVaGGGCA~BVoYYYQg",
	"DBABLA~BVVqAAEABCA.YA",
	"DBABLA~BqqAqqqqqqA",
	"DBABLA~BVVVkkkklWA.YA",
	"DBABLA~CVVVkkkkkpFY.YA",
	"DBABLA~CAAAAAAAAABA.QA",
	"DBABTA~1NYN",
	"DBABLA~DSJgmkoZJSY",
	"",
	"~",
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := Decode(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" || g != nil {
				t.Fatalf("bad error %v (%T), result %v", err, err, g)
			}
			return
		}
		last := 0
		for _, sec := range g.Sections {
			if sec.ID <= last || sec.ID > maxSectionID {
				t.Fatalf("section IDs not increasing: %v", g.Sections)
			}
			last = sec.ID
		}
		if u := g.USNat; u != nil {
			if (u.Version == 1) != (u.NumSensitiveDataProcessing == 12) || !g.Has(SectionUSNat) {
				t.Fatalf("bad usnat %+v", u)
			}
		}
		if g.TCFEUv2 != "" && !g.Has(SectionTCFEUv2) {
			t.Fatal("TCFEUv2 without section 2")
		}
		g.USOptOut()
	})
}
