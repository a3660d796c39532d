package consent

import "testing"

func TestReasonNames(t *testing.T) {
	names := ReasonNames()
	if len(names) != numReasons {
		t.Fatalf("%d names", len(names))
	}
	all := Reasons(1)<<numReasons - 1
	for i, n := range names {
		r, ok := ParseReasons([]byte(n))
		if !ok || r != 1<<i || string(r.AppendNames(nil)) != n {
			t.Errorf("reason %d %q", i, n)
		}
	}
	if r, ok := ParseReasons(all.AppendNames(nil)); !ok || r != all {
		t.Error("round trip of all reasons")
	}
	got := string((ReasonGPC | ReasonInvalidTCF | ReasonRegionUnknown | 1<<63).AppendNames(nil))
	if got != "GPC,REGION_UNKNOWN_STRICT,TCF_INVALID" {
		t.Errorf("AppendNames = %q", got)
	}
	for _, bad := range []string{",", "GPC,", ",GPC", "gpc", "GPC,,DNT", "NOPE"} {
		if _, ok := ParseReasons([]byte(bad)); ok {
			t.Errorf("ParseReasons(%q) accepted", bad)
		}
	}
	if r, ok := ParseReasons(nil); !ok || r != 0 {
		t.Error("empty")
	}
}

func TestReasonHelpers(t *testing.T) {
	if DeniedReason(Marketing) != ReasonDeniedMarketing || DeniedReason(Necessary) != 0 ||
		DeniedByReason(SourceGCM) != ReasonDeniedByGCM || DeniedByReason(SourceNone) != 0 ||
		InvalidReason(SourceTCF) != ReasonInvalidTCF || InvalidReason(NumSources) != 0 {
		t.Error("reason helpers")
	}
}
