package enrich

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"

	"go4.org/netipx"
)

// Datacenters is a set of hosting and cloud networks, loaded from lists
// the operator supplies (the providers publish theirs: one prefix or
// address per line). A visitor whose address is in one is likely a
// server, a crawler or a VPN exit: rows say "datacenter": true, and the
// bot score takes it as a signal. The nil *Datacenters contains nothing.
type Datacenters struct {
	set *netipx.IPSet
	n   int // prefixes and addresses read
}

// LoadDatacenters reads the lists at paths: one CIDR prefix (203.0.113.0/24,
// 2001:db8::/32) or address per line; blank lines and text after # are
// ignored. An unreadable file or a bad line is an error naming the file
// and line.
func LoadDatacenters(paths []string) (*Datacenters, error) {
	var b netipx.IPSetBuilder
	d := &Datacenters{}
	for _, path := range paths {
		n, err := readPrefixes(&b, path)
		if err != nil {
			return nil, err
		}
		d.n += n
	}
	set, err := b.IPSet()
	if err != nil {
		return nil, fmt.Errorf("loading datacenter ranges: %w", err)
	}
	d.set = set
	return d, nil
}

func readPrefixes(b *netipx.IPSetBuilder, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("loading datacenter ranges: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Bytes()
		if i := bytes.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		if p, err := netip.ParsePrefix(string(text)); err == nil {
			b.AddPrefix(p.Masked())
		} else if a, err := netip.ParseAddr(string(text)); err == nil {
			b.Add(a.Unmap())
		} else {
			return 0, fmt.Errorf("loading datacenter ranges: %s:%d: %q is neither a CIDR prefix nor an address", path, line, text)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("loading datacenter ranges: reading %s: %w", path, err)
	}
	return n, nil
}

// Contains reports whether addr is in one of the networks. It allocates
// nothing.
func (d *Datacenters) Contains(addr netip.Addr) bool {
	if d == nil || d.set == nil || !addr.IsValid() {
		return false
	}
	return d.set.Contains(addr.Unmap())
}

// Len returns how many prefixes and addresses were read.
func (d *Datacenters) Len() int {
	if d == nil {
		return 0
	}
	return d.n
}
