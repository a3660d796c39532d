// Package consent_test checks the example policies with the collector's own
// configuration loader and validation, so they stay valid as it changes.
package consent_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/collector"
)

func TestExamplePoliciesAreValid(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) != 3 {
		t.Fatalf("want three example policies, got %v (%v)", files, err)
	}
	for _, f := range files {
		cfg, err := collector.LoadConfig(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s does not validate:\n%v", f, err)
		}
		if len(cfg.Sites) != 1 || cfg.Region.CountryHeader == "" {
			t.Errorf("%s: want one site and a trusted country header", f)
		}
	}
}

// TestEachPolicyHasItsPage: every policy's site id is the data-site of a page.
func TestEachPolicyHasItsPage(t *testing.T) {
	pages, _ := filepath.Glob("*.html")
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		cfg, err := collector.LoadConfig(f)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range pages {
			found = found || strings.Contains(readFile(t, p), `data-site="`+cfg.Sites[0].ID+`"`)
		}
		if !found {
			t.Errorf("no page has data-site=%q (%s)", cfg.Sites[0].ID, f)
		}
	}
}
