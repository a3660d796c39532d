package consent

import "testing"

func FuzzParseSignals(f *testing.F) {
	for _, s := range []string{"", "gdous", "gu.bUGGUD@17.tUUUUD!16", ".gDDDDD@-5", "!255"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, ok := ParseSignals(src)
		if !ok {
			return
		}
		if len(src) > MaxSignalsLen {
			t.Fatalf("accepted %d bytes", len(src))
		}
		if out := AppendSignals(nil, &s); string(out) != string(src) {
			t.Fatalf("ParseSignals(%q) re-encodes as %q", src, out)
		}
		Decide(nil, &s, Region{})
	})
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"enss-UUUUU.0.0.0.", "etosdUUUUD.3.500.390.EEA=i,GB=g,US-CA=x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, ok := ParsePolicy(src)
		if !ok {
			return
		}
		if len(src) > MaxPolicyLen || len(p.Regions) > MaxRules {
			t.Fatalf("accepted %d bytes, %d rules", len(src), len(p.Regions))
		}
		if out := AppendPolicy(nil, &p); string(out) != string(src) {
			t.Fatalf("ParsePolicy(%q) re-encodes as %q", src, out)
		}
		Decide(&p, nil, Region{Country: "US", Subdivision: "CA"})
	})
}

func FuzzParseChoice(f *testing.F) {
	f.Add([]byte("UGDDU@1732380000000"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if c, ok := ParseChoice(src); ok && string(AppendChoice(nil, &c)) != string(src) {
			t.Fatalf("ParseChoice(%q) not canonical", src)
		}
	})
}

func FuzzParseRegion(f *testing.F) {
	f.Add([]byte("US-CA"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if r, ok := ParseRegion(src); ok && string(AppendRegion(nil, r)) != string(src) {
			t.Fatalf("ParseRegion(%q) not canonical", src)
		}
	})
}
