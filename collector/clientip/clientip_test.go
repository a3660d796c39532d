package clientip

import (
	"net"
	"testing"
)

func TestResolve(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "2001:db8::/32", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ peer, xff, want string }{
		{"203.0.113.9", "", "203.0.113.9"},                           // no proxy
		{"203.0.113.9", "198.51.100.1", "203.0.113.9"},               // an untrusted peer's header is ignored
		{"10.1.2.3", "", "10.1.2.3"},                                 // a trusted peer without a header
		{"10.1.2.3", "198.51.100.1", "198.51.100.1"},                 // one proxy
		{"10.1.2.3", "1.1.1.1, 198.51.100.1", "198.51.100.1"},        // a spoofed left entry is not believed
		{"10.1.2.3", "198.51.100.1, 192.0.2.7", "198.51.100.1"},      // two proxies
		{"10.1.2.3", "10.9.9.9, 10.8.8.8", "10.9.9.9"},               // all trusted: the leftmost
		{"10.1.2.3", "198.51.100.1, bogus", "10.1.2.3"},              // garbage ends the walk
		{"10.1.2.3", " 2001:db8::1 , 2606:4700::1 ", "2606:4700::1"}, // IPv6, spaces
		{"::ffff:10.1.2.3", "::ffff:198.51.100.1", "198.51.100.1"},   // IPv4-mapped forms
		{"2001:db8::5", "198.51.100.1,fe80::1%eth0", "2001:db8::5"},  // a zone is not an address
		{"10.1.2.3", ",,198.51.100.1", "198.51.100.1"},
	} {
		got := r.Resolve(net.ParseIP(c.peer), []byte(c.xff))
		if got.String() != c.want {
			t.Errorf("Resolve(%s, %q) = %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	var none *Resolver
	if got := none.Resolve(net.ParseIP("10.1.2.3"), []byte("198.51.100.1")); got.String() != "10.1.2.3" {
		t.Errorf("a nil Resolver trusted a proxy: %s", got)
	}
}

func TestNewExplains(t *testing.T) {
	if _, err := New([]string{"10.0.0.1/8"}); err == nil || err.Error() != `trusted_proxies[0]: "10.0.0.1/8" has bits set after the prefix; did you mean 10.0.0.0/8?` {
		t.Errorf("err = %v", err)
	}
}

func TestResolveAllocatesNothing(t *testing.T) {
	r, _ := New([]string{"10.0.0.0/8"})
	peer, xff := net.ParseIP("10.1.2.3"), []byte("1.1.1.1, 198.51.100.1, 10.2.2.2")
	if n := testing.AllocsPerRun(1000, func() { r.Resolve(peer, xff) }); n != 0 {
		t.Errorf("Resolve allocates %.1f times", n)
	}
}

func FuzzResolve(f *testing.F) {
	f.Add([]byte("1.1.1.1, 198.51.100.1"))
	f.Add([]byte(",,, ,"))
	r, _ := New([]string{"0.0.0.0/0", "::/0"})
	f.Fuzz(func(t *testing.T, xff []byte) {
		r.Resolve(net.ParseIP("10.1.2.3"), xff)
	})
}
