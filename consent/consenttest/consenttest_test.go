package consenttest

import (
	"testing"

	"github.com/crumbless/crumbless/consent"
)

func TestCasesDeterministicAndValid(t *testing.T) {
	a, b := Cases(7, 500), Cases(7, 500)
	for i := range a {
		pa, pb := consent.AppendPolicy(nil, &a[i].Policy), consent.AppendPolicy(nil, &b[i].Policy)
		if string(pa) != string(pb) || a[i].Signals != b[i].Signals || a[i].Region != b[i].Region {
			t.Fatalf("case %d differs between runs", i)
		}
		if _, ok := consent.ParsePolicy(pa); !ok {
			t.Fatalf("case %d: invalid policy %q", i, pa)
		}
	}
}
