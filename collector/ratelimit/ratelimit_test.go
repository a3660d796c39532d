package ratelimit

import (
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestNetworksLimitsAPrefixNotAnAddress(t *testing.T) {
	n := NewNetworks(Limit{Rate: 10, Burst: 5})
	a, b, other := netip.MustParseAddr("203.0.113.1"), netip.MustParseAddr("203.0.113.200"), netip.MustParseAddr("198.51.100.1")
	for i := 0; i < 5; i++ {
		if w := n.Allow(a, t0); w != 0 {
			t.Fatalf("request %d within the burst waits %v", i, w)
		}
	}
	if w := n.Allow(b, t0); w != 100*time.Millisecond {
		t.Errorf("another address of the same /24 over the burst: wait %v, want 100ms (one token at 10/s)", w)
	}
	if w := n.Allow(other, t0); w != 0 {
		t.Errorf("another network was limited: %v", w)
	}
	if w := n.Allow(a, t0.Add(100*time.Millisecond)); w != 0 {
		t.Errorf("after the wait: %v", w)
	}
}

func TestIPv6SharesA48(t *testing.T) {
	n := NewNetworks(Limit{Rate: 1, Burst: 1})
	if n.Allow(netip.MustParseAddr("2001:db8:1:aaaa::1"), t0) != 0 {
		t.Fatal("first request limited")
	}
	if n.Allow(netip.MustParseAddr("2001:db8:1:bbbb::2"), t0) == 0 {
		t.Error("a second address of the same /48 was not limited")
	}
	if n.Allow(netip.MustParseAddr("2001:db8:2::1"), t0) != 0 {
		t.Error("another /48 was limited")
	}
	if n.Allow(netip.MustParseAddr("::ffff:203.0.113.9"), t0) != 0 {
		t.Error("an IPv4-mapped address collided with IPv6 keys")
	}
}

func TestNetworksForgetIdleKeys(t *testing.T) {
	n := NewNetworks(Limit{Rate: 1, Burst: 1})
	a := netip.MustParseAddr("203.0.113.1")
	n.Allow(a, t0)
	var b netip.Addr // a network in a's shard
	for i := 1; ; i++ {
		b = netip.AddrFrom4([4]byte{198, 51, byte(i), 1})
		if prefixKey(b)%shards == prefixKey(a)%shards {
			break
		}
	}
	n.Allow(b, t0.Add(2*idle))
	s := &n.shards[prefixKey(a)%shards]
	if _, ok := s.keys[prefixKey(a)]; ok || len(s.keys) != 1 {
		t.Errorf("a network idle for %v is still remembered (%d keys)", 2*idle, len(s.keys))
	}
	if w := n.Allow(a, t0.Add(2*idle)); w != 0 {
		t.Errorf("a forgotten network starts with a full bucket; waited %v", w)
	}
}

func TestSiteLimitAndNil(t *testing.T) {
	s := NewSite(Limit{Rate: 100, Burst: 2})
	s.Allow(t0)
	s.Allow(t0)
	if w := s.Allow(t0); w != 10*time.Millisecond {
		t.Errorf("wait %v, want 10ms", w)
	}
	var none *Site
	var nets *Networks
	if none.Allow(t0) != 0 || nets.Allow(netip.MustParseAddr("203.0.113.1"), t0) != 0 || NewSite(Limit{}) != nil || NewNetworks(Limit{}) != nil {
		t.Error("no limit set, yet limited")
	}
	if RetryAfter(10*time.Millisecond) != 1 || RetryAfter(2500*time.Millisecond) != 3 {
		t.Error("RetryAfter rounds up to whole seconds, at least 1")
	}
}

func TestAllowAllocatesNothingForAKnownNetwork(t *testing.T) {
	n := NewNetworks(Limit{Rate: 1e9, Burst: 1e9})
	a := netip.MustParseAddr("203.0.113.1")
	n.Allow(a, t0)
	if allocs := testing.AllocsPerRun(1000, func() { n.Allow(a, t0) }); allocs != 0 {
		t.Errorf("Allow allocates %.1f times", allocs)
	}
}
