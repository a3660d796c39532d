package site

import (
	"net"
	"strings"
	"testing"
)

func TestNetworksContains(t *testing.T) {
	n, err := NewNetworks([]string{"203.0.113.0/24", "2001:db8::/32", "198.51.100.7", "::ffff:192.0.2.0/120"})
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{
		"203.0.113.1":        true,
		"203.0.113.255":      true,
		"203.0.114.1":        false,
		"::ffff:203.0.113.9": true, // IPv4-mapped counts as IPv4
		"2001:db8:1::5":      true,
		"2001:db9::1":        false,
		"198.51.100.7":       true,
		"198.51.100.8":       false,
		"192.0.2.77":         true, // the mapped prefix counts for IPv4
		"10.0.0.1":           false,
		"fe80::1":            false,
	} {
		if got := n.Contains(net.ParseIP(ip)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, got, want)
		}
	}
	if got := n.Contains(net.ParseIP("203.0.113.1").To4()); !got {
		t.Error("a 4-byte IPv4 address is not found")
	}
	var none Networks
	if none.Contains(net.ParseIP("203.0.113.1")) {
		t.Error("no networks contain an address")
	}
}

func TestParseNetworkExplains(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.0/33": "is not a network",
		"203.0.113.1/24": "did you mean 203.0.113.0/24",
		"example.com":    "is not an IP address",
		"fe80::1%eth0":   "has a zone",
		"300.1.1.1":      "is not an IP address",
		"2001:db8::/129": "is not a network",
		"":               "is not an IP address",
	} {
		_, err := ParseNetwork(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseNetwork(%q) = %v, want an error saying %q", in, err, want)
		}
	}
	if _, err := NewNetworks(make([]string, MaxNetworks+1)); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("too many networks: %v", err)
	}
}

func TestRegistryHosts(t *testing.T) {
	r, err := NewRegistry([]Site{{ID: "example.com", Origins: []string{"https://example.com", "http://shop.example.com:8080"}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := r.Lookup([]byte("example.com"))
	var got []string
	for _, h := range s.Hosts {
		got = append(got, string(h))
	}
	if strings.Join(got, " ") != "example.com shop.example.com:8080" {
		t.Errorf("hosts %q", got)
	}
}
