package enrich

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeList(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ranges.txt")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDatacenters(t *testing.T) {
	a := writeList(t, "# a cloud\n203.0.113.0/24\n\n198.51.100.7 # one host\n")
	b := writeList(t, "2001:db8:100::/40\n192.0.2.0/28\n")
	d, err := LoadDatacenters([]string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 4 {
		t.Errorf("Len = %d, want 4", d.Len())
	}
	for addr, want := range map[string]bool{
		"203.0.113.200": true, "203.0.114.1": false, "198.51.100.7": true, "198.51.100.8": false,
		"::ffff:203.0.113.9": true, "2001:db8:1ff::1": true, "2001:db8:200::1": false, "192.0.2.15": true, "192.0.2.16": false,
	} {
		if got := d.Contains(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", addr, got, want)
		}
	}
	var none *Datacenters
	if none.Contains(netip.MustParseAddr("203.0.113.1")) || d.Contains(netip.Addr{}) {
		t.Error("the nil set or the zero address is contained")
	}
	if n := testing.AllocsPerRun(100, func() { d.Contains(netip.MustParseAddr("203.0.113.1")) }); n != 0 {
		t.Errorf("Contains allocates %v times", n)
	}
}

func TestDatacentersErrors(t *testing.T) {
	bad := writeList(t, "203.0.113.0/24\nnot-a-network\n")
	if _, err := LoadDatacenters([]string{bad}); err == nil || !strings.Contains(err.Error(), bad+":2:") {
		t.Errorf("bad line: %v", err)
	}
	if _, err := LoadDatacenters([]string{filepath.Join(t.TempDir(), "missing.txt")}); err == nil {
		t.Error("a missing file loaded")
	}
}
