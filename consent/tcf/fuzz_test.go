package tcf

import (
	"errors"
	"testing"
)

// fuzzSeeds are the vectors of tcf_test.go (sources cited there).
var fuzzSeeds = []string{
	"COvzTO5OvzTO5B7ABCENAPCYAKdAADkAAIqIFhwBAAGAAXAFGAsMAhYAgAMAAegBYAEKAAA.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw.QE5QAwCvgHyATkA",
	"COvzTO5OvzTO5BRAAAENAPCoALIAADgAAAAAAewAwABAAlAB6ABBFADBQAQA9hAAAcAA",
	"COvzTO5OvzTO5BZAFMENAPCgAAAAAAAAAAwIFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUwLQIoghAAQhhARggACAIAAAAcQAAEAQAAAAgAQBAIAAEIAAAABAAgCAAAAAAAMCABAAAAAAAAKAAIEAABAAAgAiAIgAAAAASAAQABAAAAwgIAAAhMBACFuyAxmpgAA",
	"COvzTO5OvzTO5B7ABCENAPEYAIAAAIAAAIqIAAoAAoAA.QAAo.IAAo",
	"COvwooAOvwooAB7ABCENAPEYAIAAADkAAIqIAAoAAoAA.QAAo.IAAo",
	"COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA.cAAAAAAAITg=",
	"COyiILmOyiILmADACHENAPCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAAAAAA.IAFKgA",
	"COwGVJOOwGVJOADACHENAOCAAO6as_-AAAhoAFNLAAoAAAA.YAAAAAAAAAAA.IANKgCCAUJ8",
	"BObdrPUOevsguAfDqFENCNAAAAAmeAAA",
	"",
	".",
	"C",
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tc, err := Decode(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Level != LevelDecode || e.Reason == "" || tc != nil {
				t.Fatalf("bad error %v (%T), result %v", err, err, tc)
			}
			return
		}
		for _, v := range []*VendorSet{&tc.VendorConsents, &tc.VendorLegitimateInterests, &tc.DisclosedVendors, &tc.AllowedVendors} {
			if v.Len() > v.Max() || v.Has(0) || v.Has(v.Max()+1) || v.Has(-1) {
				t.Fatalf("inconsistent vendor set %+v", v)
			}
			v.Has(v.Max())
		}
		if tc.Version != 2 || len(tc.ConsentLanguage) != 2 || len(tc.PublisherCC) != 2 {
			t.Fatalf("bad core %+v", tc)
		}
		for _, now := range []int64{0, tc.LastUpdated, DisclosedVendorsRequiredFrom, 1 << 62} {
			if err := tc.Validate(now, 390); err != nil {
				var e *Error
				if !errors.As(err, &e) || (e.Level != LevelPolicy && e.Level != LevelStale) || e.Reason == "" {
					t.Fatalf("bad validation error %v", err)
				}
			}
		}
	})
}
