package consent

import "testing"

func TestTCFChoice(t *testing.T) {
	const p1, p7, p8, p9 = 1 << 0, 1 << 6, 1 << 7, 1 << 8
	c := func(m, a, i, k State) [NumPurposes]State { return [NumPurposes]State{Unset, m, a, i, k} }
	for _, tc := range []struct {
		applies      bool
		consents, li uint32
		want         [NumPurposes]State
		why          Reasons
	}{
		{false, 1<<11 - 1, 0, [NumPurposes]State{}, 0},
		{true, 0, 1<<11 - 1, c(Unset, Denied, Denied, Denied), ReasonStorageDenied},
		{true, p1, 0, c(Unset, Denied, Denied, Denied), 0},
		{true, p1 | p8, 0, c(Granted, Granted, Granted, Denied), 0},
		{true, p1 | p9, 0, c(Granted, Granted, Granted, Denied), 0},
		{true, p8, 0, c(Granted, Denied, Denied, Denied), ReasonStorageDenied},
		{true, p1 | p7, 0, c(Unset, Denied, Denied, Granted), 0},
		{true, p7 | p9, 0, c(Granted, Denied, Denied, Denied), ReasonStorageDenied},
	} {
		got, why := TCFChoice(tc.applies, tc.consents, tc.li, 5)
		if got.States != tc.want || why != tc.why {
			t.Errorf("TCFChoice(%v, %#x, %#x) = %v %s", tc.applies, tc.consents, tc.li, got.States, why.AppendNames(nil))
		}
	}
}

func TestGPPUS(t *testing.T) {
	if GPPUSOptOut(2, 2, 2, false) || GPPUSOptOut(0, 0, 0, false) || !GPPUSOptOut(2, 1, 2, false) || !GPPUSOptOut(0, 0, 0, true) {
		t.Error("GPPUSOptOut")
	}
	if GPPUSChoice(2, 2, 2, false, 1) != (Choice{}) || GPPUSChoice(1, 2, 2, false, 1).States[Marketing] != Denied {
		t.Error("GPPUSChoice")
	}
}
