package consent

import "testing"

func TestSecGPC(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		want   bool
	}{
		{"P1", []string{"1"}, true},
		{"P2 0", []string{"0"}, false},
		{"P2 true", []string{"true"}, false},
		{"P2 yes", []string{"yes"}, false},
		{"P2 10", []string{"10"}, false},
		{"P3", []string{"0", "1"}, true},
		{"P3b", []string{"0, 1"}, true},
		{"P3b tabs", []string{"0,\t1 "}, true},
		{"none", nil, false},
		{"empty", []string{""}, false},
	} {
		b := make([][]byte, len(tc.values))
		for i, v := range tc.values {
			b[i] = []byte(v)
		}
		if got := SecGPC(b...); got != tc.want {
			t.Errorf("%s: SecGPC(%q) = %v", tc.name, tc.values, got)
		}
	}
}

// TestP4GPCFromPage: no header, navigator.globalPrivacyControl in the
// page's signals. GPC is restrict-only, so the collector trusts it.
func TestP4GPCFromPage(t *testing.T) {
	s, ok := ParseSignals([]byte("g"))
	if !ok || !s.GPC {
		t.Fatal("page GPC not parsed")
	}
	p := policyWith(BasisExempt, SourceNone)
	check(t, Decide(p, &s, us), T3, true, false, ReasonGPC)
}

func TestP5DNT(t *testing.T) {
	if !DNTHeader([]byte("1")) || DNTHeader([]byte("0")) || DNTHeader() {
		t.Fatal("DNTHeader")
	}
	s := Signals{DNT: DNTHeader([]byte("1"))}
	p := DefaultPolicy()
	check(t, Decide(&p, &s, Region{Country: "DE"}), T1, false, false, ReasonDNT)
	check(t, Decide(&p, &s, us), T3, true, true, 0)
	p.GPCScope = GPCAllOptional
	check(t, Decide(&p, &s, us), T1, false, false, ReasonDNT)
}
