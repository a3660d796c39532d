package region

import (
	"net"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/consent"
)

func TestCountry(t *testing.T) {
	for in, want := range map[string]string{
		"FR": "FR", "fr": "FR", " de ": "DE", "US": "US",
		"XX": "", "T1": "", "ZZ": "", "AA": "", "QM": "", "XK": "", "EU": "", "AP": "", "": "", "F": "", "FRA": "", "F1": "",
	} {
		got, ok := Country([]byte(in))
		if got != want || ok != (want != "") {
			t.Errorf("Country(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSubdivision(t *testing.T) {
	for in, want := range map[string]string{"CA": "CA", "ca": "CA", "US-CA": "CA", "FR-CA": "", "": "", "CALI": "", "C-A": "", "75": "75"} {
		if got := Subdivision([]byte(in), "US"); got != want {
			t.Errorf("Subdivision(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	r, err := New(Config{CountryHeader: "CF-IPCountry", SubdivisionHeader: "CF-Region-Code"})
	if err != nil {
		t.Fatal(err)
	}
	var h fasthttp.RequestHeader
	ip := net.IPv4(203, 0, 113, 7)
	if got := r.Resolve(&h, ip); got != (consent.Region{}) {
		t.Errorf("no header: %v", got)
	}
	h.Set("CF-IPCountry", "US")
	h.Set("CF-Region-Code", "CA")
	if got := r.Resolve(&h, ip); got != (consent.Region{Country: "US", Subdivision: "CA"}) {
		t.Errorf("US-CA: %v", got)
	}
	h.Set("CF-IPCountry", "XX")
	if got := r.Resolve(&h, ip); got != (consent.Region{}) {
		t.Errorf("XX: %v", got)
	}
	var none *Resolver
	if got := none.Resolve(&h, ip); got != (consent.Region{}) || none.Close() != nil {
		t.Errorf("nil resolver: %v", got)
	}
	untrusted, _ := New(Config{})
	h.Set("CF-IPCountry", "US")
	if got := untrusted.Resolve(&h, ip); got != (consent.Region{}) {
		t.Errorf("header trusted without configuration: %v", got)
	}
	if _, err := New(Config{GeoIPDB: "/nonexistent.mmdb"}); err == nil {
		t.Error("missing database accepted")
	}
}

func TestResolveAllocatesNothing(t *testing.T) {
	r, _ := New(Config{CountryHeader: "CF-IPCountry", SubdivisionHeader: "CF-Region-Code"})
	var h fasthttp.RequestHeader
	h.Set("CF-IPCountry", "US")
	h.Set("CF-Region-Code", "US-CA")
	ip := net.IPv4(203, 0, 113, 7)
	r.Resolve(&h, ip)
	if n := testing.AllocsPerRun(100, func() { r.Resolve(&h, ip) }); n != 0 {
		t.Errorf("%.1f allocations", n)
	}
}
