package weight

import (
	"testing"

	"github.com/crumbless/crumbless/sdk"
)

// BudgetBrotli is DESIGN.md's tag-weight budget: loader + tracker module,
// brotli, all features included. BannerBudgetBrotli is the optional consent
// banner's, a separate script.
const (
	BudgetBrotli       = 12_000
	BannerBudgetBrotli = 6_000
)

func TestTagWeightWithinBudget(t *testing.T) {
	assets, err := sdk.Assets()
	if err != nil {
		t.Fatal(err)
	}
	var total Sizes
	for _, a := range assets {
		s := Measure(a.Body)
		t.Logf("%s: %d raw, %d gzip, %d brotli", a.Name, s.Raw, s.Gzip, s.Brotli)
		if a.Name == sdk.BannerName {
			if s.Brotli > BannerBudgetBrotli {
				t.Errorf("the consent banner is %d bytes brotli, over its %d-byte budget", s.Brotli, BannerBudgetBrotli)
			}
			continue
		}
		total = total.Add(s)
	}
	if total.Brotli > BudgetBrotli {
		t.Errorf("loader + tracker = %d bytes brotli, over the %d-byte budget", total.Brotli, BudgetBrotli)
	}
}

func TestMeasureCompresses(t *testing.T) {
	s := Measure(make([]byte, 10_000))
	if s.Raw != 10_000 || s.Gzip >= 200 || s.Brotli >= 200 || s.Brotli == 0 {
		t.Errorf("Measure(zeros) = %+v", s)
	}
}
