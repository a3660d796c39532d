package collector

import (
	"errors"
	"slices"
	"testing"
)

func TestValidateGoalsAndNetworks(t *testing.T) {
	cfg, err := LoadConfig("testdata/bad-edge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`sites[0].goals[0].path: "pricing" must start with /, like /pricing or /blog/*`,
		`sites[0].goals[1].name: "pricing" is already used by goals[0]; give each goal its own name`,
		`sites[0].goals[2].name: is empty; name the goal, like signup`,
		`sites[0].goals[3]: has both event and path; a goal is one or the other, so make two goals`,
		`sites[0].goals[4]: has neither event nor path; give one, like event: signup or path: /thank-you`,
		`sites[0].goals[5].path: "/docs/**/api": ** may only be the whole last segment, like /docs/**`,
		`sites[0].goals[6].stage: "Conversion" is not a short label: use lower-case letters, digits, _ and -, starting with a letter, like awareness, consideration or conversion`,
		`sites[0].goals[7].event: "pageview" cannot be a goal's event; for pageviews give a path, like path: /thank-you`,
		`sites[0].exclude_networks[1]: "203.0.113.1/24" has bits set after the prefix; did you mean 203.0.113.0/24?`,
		`sites[0].exclude_networks[2]: "office" is not an IP address or a network; write one like 203.0.113.0/24 or 2001:db8::/32`,
		`sites[0].exclude_networks[3]: "2001:db8::/129" is not a network; write one like 203.0.113.0/24 or 2001:db8::/32`,
	}
	var cerr *ConfigError
	if err := cfg.Validate(); !errors.As(err, &cerr) {
		t.Fatalf("Validate() = %v", err)
	}
	var got []string
	for _, p := range cerr.Problems {
		got = append(got, p.String())
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing problem:\n  %s", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%q", len(got), len(want), got)
	}
}

func TestExampleGoalsAndNetworksLoad(t *testing.T) {
	cfg, err := LoadConfig("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list, err := siteList(cfg.Sites)
	if err != nil {
		t.Fatal(err)
	}
	s := list[0]
	if goal, stage := s.Goals.Match("pageview", nil, []byte("/docs/intro")); string(goal) != "docs" || string(stage) != "awareness" {
		t.Errorf("/docs/intro reached %q %q", goal, stage)
	}
	if goal, _ := s.Goals.Match("download", nil, []byte("/")); string(goal) != "brochure" {
		t.Errorf("a download reached %q", goal)
	}
	if s.Exclude.Len() != 2 || list[1].Goals.Len() != 0 {
		t.Errorf("site 0 has %d networks, site 1 %d goals", s.Exclude.Len(), list[1].Goals.Len())
	}
}
