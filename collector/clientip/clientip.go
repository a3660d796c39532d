// Package clientip picks a request's client address: the socket peer, or,
// when the peer is one of the collector's trusted proxies (a load
// balancer, a CDN), the address the proxies forwarded in X-Forwarded-For.
// A client cannot spoof its address through the header: entries are only
// believed up to the first hop, from the right, that is not a trusted
// proxy.
//
// It must not import collector or any collector/<x> package but site (for
// the network parser).
package clientip

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"unsafe"

	"github.com/crumbless/crumbless/collector/site"
)

// Resolver resolves client addresses. The zero value, and a nil one, trust
// no proxy: the peer is the client.
type Resolver struct {
	trusted []netip.Prefix
}

// New returns a Resolver that trusts the proxies in cidrs ("10.0.0.0/8",
// "2001:db8::/32", or one address).
func New(cidrs []string) (*Resolver, error) {
	r := &Resolver{trusted: make([]netip.Prefix, 0, len(cidrs))}
	var errs []error
	for i, s := range cidrs {
		p, err := site.ParseNetwork(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("trusted_proxies[%d]: %w", i, err))
			continue
		}
		r.trusted = append(r.trusted, p)
	}
	return r, errors.Join(errs...)
}

// Resolve returns the client address of a request that came from peer
// with the X-Forwarded-For value xff (empty when absent). When the peer is
// a trusted proxy, the entries of xff are read from the right, and the
// first that is not a trusted proxy is the client; when every entry is a
// trusted proxy, the leftmost is; an entry that is not an address ends the
// walk at the last trusted hop. It allocates nothing.
func (r *Resolver) Resolve(peer net.IP, xff []byte) netip.Addr {
	client, ok := netip.AddrFromSlice(peer)
	if !ok {
		return netip.Addr{}
	}
	client = client.Unmap()
	if r == nil || !r.trusts(client) {
		return client
	}
	for len(xff) > 0 {
		i := len(xff) - 1
		for i >= 0 && xff[i] != ',' {
			i--
		}
		entry := trim(xff[i+1:])
		xff = xff[:max(i, 0)]
		// The string does not outlive ParseAddr, which keeps no reference to it.
		a, err := netip.ParseAddr(unsafe.String(unsafe.SliceData(entry), len(entry)))
		if err != nil || a.Zone() != "" {
			return client
		}
		client = a.Unmap()
		if !r.trusts(client) {
			return client
		}
	}
	return client
}

func (r *Resolver) trusts(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
