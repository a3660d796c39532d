package consent

import "testing"

func TestChoiceEncoding(t *testing.T) {
	c := Choice{States: [NumPurposes]State{Unset, Granted, Denied, Denied, Unset}, At: 1732380000000}
	if got := string(AppendChoice(nil, &c)); got != "UGDDU@1732380000000" {
		t.Fatalf("AppendChoice = %q", got)
	}
	for _, at := range []int64{0, 1, -1, 1<<63 - 1, -1 << 63} {
		c.At = at
		if got, ok := ParseChoice(AppendChoice(nil, &c)); !ok || got != c {
			t.Errorf("round trip of At %d: %+v %v", at, got, ok)
		}
	}
	for _, bad := range []string{"", "UUUU", "UUUUUU", "uuuuu", "UUUUU@", "UUUUU@0", "UUUUU@01",
		"UUUUU@-0", "UUUUU@+1", "UUUUU@9223372036854775808", "UUUUU@1@2", "UUXUU"} {
		if _, ok := ParseChoice([]byte(bad)); ok {
			t.Errorf("ParseChoice(%q) accepted", bad)
		}
	}
}

func TestSignalsEncoding(t *testing.T) {
	var s Signals
	if got := string(AppendSignals(nil, &s)); got != "" {
		t.Fatalf("zero signals = %q", got)
	}
	s.GPC, s.USOptOut = true, true
	s.Choices[SourceBanner] = Choice{States: [NumPurposes]State{Unset, Granted, Granted, Unset, Denied}, At: 17}
	s.Choices[SourceTCF].States[Marketing] = Denied
	s.Invalid = 1 << SourceGPP
	want := "gu.bUGGUD@17.tUUUUD!16"
	if got := string(AppendSignals(nil, &s)); got != want {
		t.Fatalf("AppendSignals = %q, want %q", got, want)
	}
	if got, ok := ParseSignals([]byte(want)); !ok || got != s {
		t.Fatalf("ParseSignals(%q) = %+v, %v", want, got, ok)
	}
	for _, bad := range []string{"ug", "gg", "x", ".", ".b", ".bUUUUU", ".tUUUUD.bUUUUD", ".tUUUUD.tUUUUD",
		"!0", "!256", "!", "!01", "g!1.bUUUUD", ".zUUUUD", "g.", ".bUUUUD!", "!1!1", "g!1g", "uUUUUU", string(make([]byte, 300))} {
		if _, ok := ParseSignals([]byte(bad)); ok {
			t.Errorf("ParseSignals(%q) accepted", bad)
		}
	}
}

func TestPolicyEncoding(t *testing.T) {
	p := DefaultPolicy()
	p.Revision, p.Authority = 3, SourceTCF
	p.Caps[Marketing] = Denied
	p.Regions = []RegionRule{{"EEA", ProfileOptIn}, {"GB", ProfileGBStatistical}, {"US-CA", ProfileOff}}
	want := "etosdUUUUD.3.500.390.EEA=i,GB=g,US-CA=x"
	if got := string(AppendPolicy(nil, &p)); got != want {
		t.Fatalf("AppendPolicy = %q, want %q", got, want)
	}
	got, ok := ParsePolicy([]byte(want))
	if !ok || string(AppendPolicy(nil, &got)) != want || len(got.Regions) != 3 || got.Regions[2].Match != "US-CA" {
		t.Fatalf("ParsePolicy(%q) = %+v, %v", want, got, ok)
	}
	if h := string(p.AppendHash(nil)); len(h) != 16 || h != string(AppendPolicyHash(nil, []byte(want))) || h == string((&Policy{}).AppendHash(nil)) {
		t.Errorf("hash %q", h)
	}
	if d := string(AppendPolicy(nil, &Policy{})); d != "enss-UUUUU.0.0.0." {
		t.Errorf("zero policy = %q", d)
	}
	for _, bad := range []string{"", "enss-UUUUU", "enss-UUUUU.0.0.0", "enss-UUUUU.0.0.0.x", "enss-UUUUU.00.0.0.",
		"enssUUUUU.0.0.0.", "qnss-UUUUU.0.0.0.", "enss-UUUUU.0.4294967296.0.", "enss-UUUUU.0.0.0.FR=i,",
		"enss-UUUUU.0.0.0.fr=i", "enss-UUUUU.0.0.0.FR=q", "enss-UUUUU.0.0.0.FR", "enss-UUUUU.0.0.0.EEa=i",
		"enss-UUUUU.0.0.0.US-CALI=i", "enss-UUUUU.0.0.0.FR=i.GB=i", "enss-UUUUU..0.0.0.", "enss-UUUUu.0.0.0."} {
		if _, ok := ParsePolicy([]byte(bad)); ok {
			t.Errorf("ParsePolicy(%q) accepted", bad)
		}
	}
	many := []byte("enss-UUUUU.0.0.0.FR=i")
	for i := 0; i < MaxRules; i++ {
		many = append(many, ",FR=i"...)
	}
	if _, ok := ParsePolicy(many); ok {
		t.Error("more than MaxRules rules accepted")
	}
}

func TestRegionEncoding(t *testing.T) {
	for _, s := range []string{"", "FR", "US-CA", "CA-QC", "GB-ENG", "FR-75"} {
		r, ok := ParseRegion([]byte(s))
		if !ok || string(AppendRegion(nil, r)) != s {
			t.Errorf("ParseRegion(%q) = %+v, %v", s, r, ok)
		}
	}
	for _, bad := range []string{"F", "fr", "FRA", "US-", "US-CALI", "US_CA", "US-ca"} {
		if _, ok := ParseRegion([]byte(bad)); ok {
			t.Errorf("ParseRegion(%q) accepted", bad)
		}
	}
}

func TestFlagsEncoding(t *testing.T) {
	for _, d := range []Decision{{}, {Interaction: true}, {Marketing: true}, {Interaction: true, Marketing: true}} {
		f := AppendFlags(nil, d)
		i, m, ok := ParseFlags(f)
		if !ok || i != d.Interaction || m != d.Marketing {
			t.Errorf("flags %q: %v %v %v", f, i, m, ok)
		}
	}
	if _, _, ok := ParseFlags([]byte("mi")); ok {
		t.Error(`"mi" accepted`)
	}
}

func TestEncodeAllocs(t *testing.T) {
	p := DefaultPolicy()
	var s Signals
	s.Choices[SourceBanner].States[Analytics] = Granted
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() {
		buf = AppendSignals(buf[:0], &s)
		buf = AppendFlags(buf[:0], Decision{})
		_ = Decide(&p, &s, fr)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
