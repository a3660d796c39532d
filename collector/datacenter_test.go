package collector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDatacenterRanges marks the rows of a visitor whose address is in a
// listed network, and no others; a bad list fails check-config.
func TestDatacenterRanges(t *testing.T) {
	for list, want := range map[string]bool{"# cloud\n127.0.0.0/8\n": true, "10.0.0.0/8\n2001:db8::/32\n": false} {
		cfg, _ := testConfig(t)
		path := filepath.Join(t.TempDir(), "ranges.txt")
		if err := os.WriteFile(path, []byte(list), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg.DatacenterRanges = []string{path}
		ts := start(t, cfg)
		if r := send(t, ts.url, "POST", batchBodyFrom(t, "example.com", 0, 2)); r.StatusCode != 202 {
			t.Fatalf("status %d", r.StatusCode)
		}
		shutdown(t, ts.Server)
		rows := checkFiles(t, cfg.DataDir, "example.com")
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			if got := r["datacenter"] == true; got != want {
				t.Errorf("list %q: row datacenter = %v, want %v", list, r["datacenter"], want)
			}
		}
	}
	cfg, _ := testConfig(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("203.0.113.0/24\nexample.com\n"), 0o644)
	cfg.DatacenterRanges = []string{bad}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "datacenter_ranges") || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("Validate() = %v", err)
	}
}
