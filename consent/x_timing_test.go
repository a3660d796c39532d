package consent

import "testing"

func BenchmarkDecide(b *testing.B) {
	p := DefaultPolicy()
	p.Regions = []RegionRule{{"GB", ProfileGBStatistical}, {"US-CA", ProfileOptOut}}
	var s Signals
	s.GPC = true
	s.Choices[SourceBanner] = Choice{States: [NumPurposes]State{Unset, Granted, Granted, Denied, Unset}}
	b.ReportAllocs()
	for b.Loop() {
		Decide(&p, &s, fr)
	}
}

func BenchmarkParseSignals(b *testing.B) {
	src := []byte("gu.bUGGUD@1732380000000.tUUUUD!16")
	b.ReportAllocs()
	for b.Loop() {
		ParseSignals(src)
	}
}

func BenchmarkParsePolicy(b *testing.B) {
	src := []byte("etosdUUUUD.3.500.390.EEA=i,GB=g,US-CA=x")
	b.ReportAllocs()
	for b.Loop() {
		ParsePolicy(src)
	}
}
