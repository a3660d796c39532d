package consent

import "testing"

// cmd applies one data-layer consent command to g.
func cmd(t *testing.T, g *GCM, command string, kv ...string) {
	t.Helper()
	b := make([][]byte, len(kv))
	for i, s := range kv {
		b[i] = []byte(s)
	}
	if !g.Command([]byte(command), b...) {
		t.Fatalf("Command(%q) refused", command)
	}
}

func TestGCMScenarios(t *testing.T) {
	c1 := func() *GCM {
		g := new(GCM)
		cmd(t, g, "default", "analytics_storage", "denied", "region", "FR")
		cmd(t, g, "default", "analytics_storage", "granted")
		return g
	}
	c3 := new(GCM)
	cmd(t, c3, "default", "ad_storage", "denied", "region", "US")
	cmd(t, c3, "default", "ad_storage", "granted", "region", "US-CA")
	c4 := new(GCM)
	cmd(t, c4, "default", "analytics_storage", "denied")
	cmd(t, c4, "update", "analytics_storage", "granted")
	c5 := new(GCM)
	cmd(t, c5, "update", "ad_storage", "granted")
	tx := Region{Country: "US", Subdivision: "TX"}
	for _, tc := range []struct {
		name string
		g    *GCM
		r    Region
		typ  GCMType
		want State
	}{
		{"C1", c1(), fr, GCMAnalyticsStorage, Denied},
		{"C2", c1(), tx, GCMAnalyticsStorage, Granted},
		{"C3", c3, usCA, GCMAdStorage, Granted},
		{"C3 US-TX", c3, tx, GCMAdStorage, Denied},
		{"C4", c4, fr, GCMAnalyticsStorage, Granted},
		{"C5", c5, us, GCMAdStorage, Granted},
		{"C5 ad_user_data", c5, us, GCMAdUserData, Unset},
		{"C6", new(GCM), Region{Country: "DE"}, GCMAnalyticsStorage, Unset},
	} {
		if got := tc.g.States(tc.r)[tc.typ]; got != tc.want {
			t.Errorf("%s: %s = %v, want %v", tc.name, gcmTypeNames[tc.typ], got, tc.want)
		}
	}
	if c1().Choice(fr).States[Analytics] != Denied || c1().Choice(tx).States[Analytics] != Granted {
		t.Error("C1/C2: analytics not mapped")
	}
	if c5.Choice(us).States[Marketing] != Unset {
		t.Error("C5: marketing granted without ad_user_data")
	}
	// C6: all unset, so the region default decides.
	var s Signals
	s.Choices[SourceGCM] = new(GCM).Choice(Region{Country: "DE"})
	if s.Choices[SourceGCM] != (Choice{}) {
		t.Error("C6: a choice without commands")
	}
	check(t, Decide(policyWith(BasisExempt, SourceGCM), &s, Region{Country: "DE"}), T2, false, false, ReasonNoChoice)
}

func TestGCMCommand(t *testing.T) {
	g := new(GCM)
	if g.Command([]byte("set"), nil, nil) || g.Command([]byte("update"), []byte("ad_storage")) {
		t.Error("bad command accepted")
	}
	cmd(t, g, "default", "ad_storage", "denied", "ad_user_data", "granted", "wait_for_update", "500",
		"region", "ES, US-CA,bad", "unknown_key", "granted", "analytics_storage", "maybe")
	if g.WaitMillis != 500 || g.n != 2 {
		t.Errorf("wait %d, %d defaults", g.WaitMillis, g.n)
	}
	st := g.States(Region{Country: "ES"})
	if st != (GCMStates{Denied, Granted, Unset, Unset}) {
		t.Errorf("ES states %v", st)
	}
	if g.States(fr) != (GCMStates{}) {
		t.Error("a regional default applied elsewhere")
	}
	cmd(t, g, "update", "ad_personalization", "denied")
	if g.Choice(fr).States[Marketing] != Denied {
		t.Error("ad_personalization denied does not deny marketing")
	}
	for i := 0; i < MaxGCMDefaults+1; i++ {
		cmd(t, g, "default", "ad_storage", "granted")
	}
	if !g.Overflow || g.n != MaxGCMDefaults {
		t.Error("no overflow")
	}
}
