package consent

import "testing"

// cmd applies one data-layer consent command to g.
func cmd(t *testing.T, g *GCMAt, command string, kv ...string) {
	t.Helper()
	b := make([][]byte, len(kv))
	for i, s := range kv {
		b[i] = []byte(s)
	}
	if !g.Command([]byte(command), b...) {
		t.Fatalf("Command(%q) refused", command)
	}
}

// at returns a GCMAt bound to r, as the page binds the visitor's region
// before reading the data layer.
func at(r Region) *GCMAt {
	g := new(GCMAt)
	if !g.SetRegion(AppendRegion(nil, r)) {
		panic("SetRegion refused " + string(AppendRegion(nil, r)))
	}
	return g
}

// TestGCMScenarios: the scenario vectors C1-C6 of the spec (§4.3). C1 and
// C2 differ only by region, so each binds its region first.
func TestGCMScenarios(t *testing.T) {
	c1 := func(r Region) *GCMAt {
		g := at(r)
		cmd(t, g, "default", "analytics_storage", "denied", "region", "FR")
		cmd(t, g, "default", "analytics_storage", "granted")
		return g
	}
	c3 := func(r Region) *GCMAt {
		g := at(r)
		cmd(t, g, "default", "ad_storage", "denied", "region", "US")
		cmd(t, g, "default", "ad_storage", "granted", "region", "US-CA")
		return g
	}
	c4 := func(r Region) *GCMAt {
		g := at(r)
		cmd(t, g, "default", "analytics_storage", "denied")
		cmd(t, g, "update", "analytics_storage", "granted")
		return g
	}
	c5 := func(r Region) *GCMAt {
		g := at(r)
		cmd(t, g, "update", "ad_storage", "granted")
		return g
	}
	tx := Region{Country: "US", Subdivision: "TX"}
	for _, tc := range []struct {
		name string
		g    *GCMAt
		typ  GCMType
		want State
	}{
		{"C1", c1(fr), GCMAnalyticsStorage, Denied},
		{"C2", c1(tx), GCMAnalyticsStorage, Granted},
		{"C2 unknown region", c1(Region{}), GCMAnalyticsStorage, Granted},
		{"C3", c3(usCA), GCMAdStorage, Granted},
		{"C3 US-TX", c3(tx), GCMAdStorage, Denied},
		{"C3 FR", c3(fr), GCMAdStorage, Unset},
		{"C4", c4(fr), GCMAnalyticsStorage, Granted},
		{"C4 US-CA", c4(usCA), GCMAnalyticsStorage, Granted},
		{"C5", c5(us), GCMAdStorage, Granted},
		{"C5 ad_user_data", c5(us), GCMAdUserData, Unset},
		{"C6", at(Region{Country: "DE"}), GCMAnalyticsStorage, Unset},
	} {
		if got := tc.g.States()[tc.typ]; got != tc.want {
			t.Errorf("%s: %s = %v, want %v", tc.name, gcmTypeNames[tc.typ], got, tc.want)
		}
	}
	if c1(fr).Choice().States[Analytics] != Denied || c1(tx).Choice().States[Analytics] != Granted {
		t.Error("C1/C2: analytics not mapped")
	}
	if c5(us).Choice().States[Marketing] != Unset {
		t.Error("C5: marketing granted without ad_user_data")
	}
	// C6: all unset, so the region default decides.
	var s Signals
	s.Choices[SourceGCM] = at(Region{Country: "DE"}).Choice()
	if s.Choices[SourceGCM] != (Choice{}) {
		t.Error("C6: a choice without commands")
	}
	check(t, Decide(policyWith(BasisExempt, SourceGCM), &s, Region{Country: "DE"}), T2, false, false, ReasonNoChoice)
}

// TestGCMOrder: the more specific default wins whatever the order; among
// equally specific ones the later; an update beats any default, even a
// later one, and a later update beats an earlier one.
func TestGCMOrder(t *testing.T) {
	g := at(usCA)
	cmd(t, g, "default", "ad_storage", "granted", "region", "US-CA")
	cmd(t, g, "default", "ad_storage", "denied", "region", "US")
	cmd(t, g, "default", "ad_storage", "denied")
	if g.States()[GCMAdStorage] != Granted {
		t.Errorf("a less specific later default won: %v", g.States())
	}
	cmd(t, g, "default", "ad_storage", "denied", "region", "FR, US-CA")
	if g.States()[GCMAdStorage] != Denied {
		t.Errorf("the later equally specific default lost: %v", g.States())
	}
	cmd(t, g, "update", "ad_storage", "granted")
	cmd(t, g, "default", "ad_storage", "denied", "region", "US-CA")
	if g.States()[GCMAdStorage] != Granted {
		t.Errorf("a default beat an update: %v", g.States())
	}
	cmd(t, g, "update", "ad_storage", "denied")
	if g.States()[GCMAdStorage] != Denied {
		t.Errorf("a later update lost: %v", g.States())
	}
}

func TestGCMSetRegion(t *testing.T) {
	g := at(usCA)
	cmd(t, g, "default", "ad_storage", "denied", "region", "US")
	for _, bad := range []string{"us", "USA", "US-", "X"} {
		if g.SetRegion([]byte(bad)) {
			t.Errorf("SetRegion(%q) accepted", bad)
		}
	}
	cmd(t, g, "default", "ad_storage", "granted", "region", "US, US-CA")
	if g.States()[GCMAdStorage] != Denied { // an invalid region is unknown: no regional default applies
		t.Errorf("states %v", g.States())
	}
	for _, m := range []string{"USX", "US-C", "US-CAX", "UX-CA", "U"} {
		if l := at(usCA).levelOf([]byte(m)); l != 0 {
			t.Errorf("%q matches US-CA at %d", m, l)
		}
	}
}

func TestGCMCommand(t *testing.T) {
	g := at(Region{Country: "ES"})
	if g.Command([]byte("set"), nil, nil) || g.Command([]byte("update"), []byte("ad_storage")) {
		t.Error("bad command accepted")
	}
	cmd(t, g, "default", "ad_storage", "denied", "ad_user_data", "granted", "wait_for_update", "500",
		"region", "ES, US-CA,bad", "unknown_key", "granted", "analytics_storage", "maybe")
	if g.WaitMillis != 500 {
		t.Errorf("wait %d", g.WaitMillis)
	}
	if st := g.States(); st != (GCMStates{Denied, Granted, Unset, Unset}) {
		t.Errorf("ES states %v", st)
	}
	f := at(fr)
	if !f.Command([]byte("default"), []byte("ad_storage"), []byte("denied"), []byte("region"), nil) {
		t.Fatal("refused")
	}
	cmd(t, f, "default", "ad_storage", "denied", "region", "")
	cmd(t, f, "default", "ad_storage", "denied", "region", "ES, US-CA,bad")
	if f.States() != (GCMStates{}) {
		t.Error("a regional default applied elsewhere")
	}
	cmd(t, g, "update", "ad_personalization", "denied")
	if g.Choice().States[Marketing] != Denied {
		t.Error("ad_personalization denied does not deny marketing")
	}
	for i := 0; i < 1000; i++ { // no bound on the number of defaults
		cmd(t, g, "default", "analytics_storage", "granted", "region", "DE")
	}
	cmd(t, g, "default", "analytics_storage", "granted", "region", "ES")
	if g.States()[GCMAnalyticsStorage] != Granted {
		t.Error("a default after many others was dropped")
	}
}
