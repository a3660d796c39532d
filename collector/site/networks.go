package site

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// MaxNetworks bounds a site's excluded networks.
const MaxNetworks = 256

// Networks are a site's excluded networks: batches from a client address
// in one of them are acknowledged and dropped (the site owner's own
// visits).
type Networks struct {
	prefixes []netip.Prefix
}

// NewNetworks parses CIDR prefixes ("203.0.113.0/24", "2001:db8::/32",
// or one address, "198.51.100.7", meaning /32 or /128).
func NewNetworks(list []string) (Networks, error) {
	if len(list) > MaxNetworks {
		return Networks{}, fmt.Errorf("%d networks; at most %d are allowed", len(list), MaxNetworks)
	}
	var errs []error
	n := Networks{prefixes: make([]netip.Prefix, 0, len(list))}
	for i, s := range list {
		p, err := ParseNetwork(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("network %d: %w", i, err))
			continue
		}
		n.prefixes = append(n.prefixes, p)
	}
	return n, errors.Join(errs...)
}

// ParseNetwork parses one network, explaining in the owner's words what
// is wrong with it.
func ParseNetwork(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or a network; write one like 203.0.113.0/24 or 2001:db8::/32", s)
		}
		if a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q has a zone (%%%s); leave it out", s, a.Zone())
		}
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a network; write one like 203.0.113.0/24 or 2001:db8::/32", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has bits set after the prefix; did you mean %s?", s, p.Masked())
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96).Masked(), nil
	}
	return p, nil
}

// Contains reports whether ip (4 or 16 bytes; IPv4-mapped IPv6 counts as
// IPv4) is in one of the networks. It allocates nothing.
func (n *Networks) Contains(ip net.IP) bool {
	if len(n.prefixes) == 0 {
		return false
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	a = a.Unmap()
	for _, p := range n.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Len returns the number of networks.
func (n *Networks) Len() int { return len(n.prefixes) }
