//go:build !race

package site

import (
	"net"
	"testing"
)

func TestMatchAllocatesNothing(t *testing.T) {
	g, err := NewGoals([]Goal{{Name: "a", Path: "/x/*/y"}, {Name: "b", Path: "/docs/**"}, {Name: "c", Event: "signup"}})
	if err != nil {
		t.Fatal(err)
	}
	path, name := []byte("/docs/a/b?q=1"), []byte("signup")
	if n := testing.AllocsPerRun(100, func() {
		g.Match("pageview", nil, path)
		g.Match("custom", name, path)
	}); n != 0 {
		t.Errorf("%.1f allocations, want 0", n)
	}
}

func TestNetworksAllocateNothing(t *testing.T) {
	n, err := NewNetworks([]string{"203.0.113.0/24", "2001:db8::/32"})
	if err != nil {
		t.Fatal(err)
	}
	v4, v6 := net.ParseIP("198.51.100.1"), net.ParseIP("2001:db8::1")
	if a := testing.AllocsPerRun(100, func() { n.Contains(v4); n.Contains(v6) }); a != 0 {
		t.Errorf("%.1f allocations, want 0", a)
	}
}
