package region

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/consent"
)

// writeDB writes a small GeoIP2-City-shaped database: 192.0.2.0/24 in
// France, 198.51.100.0/24 in California, 203.0.113.0/24 with the unknown
// code "XX".
func writeDB(t *testing.T) string {
	t.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "Test-City", RecordSize: 24, IPVersion: 6, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range map[string]mmdbtype.Map{
		"192.0.2.0/24":    {"country": mmdbtype.Map{"iso_code": mmdbtype.String("FR")}},
		"198.51.100.0/24": {"country": mmdbtype.Map{"iso_code": mmdbtype.String("US")}, "subdivisions": mmdbtype.Slice{mmdbtype.Map{"iso_code": mmdbtype.String("CA")}}},
		"203.0.113.0/24":  {"country": mmdbtype.Map{"iso_code": mmdbtype.String("XX")}},
	} {
		_, n, _ := net.ParseCIDR(cidr)
		if err := w.Insert(n, rec); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "test.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestGeoIPDB(t *testing.T) {
	r, err := New(Config{CountryHeader: "CF-IPCountry", GeoIPDB: writeDB(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var h fasthttp.RequestHeader
	for ip, want := range map[string]consent.Region{
		"192.0.2.7":        {Country: "FR"},
		"::ffff:192.0.2.7": {Country: "FR"},
		"198.51.100.1":     {Country: "US", Subdivision: "CA"},
		"203.0.113.9":      {},
		"10.0.0.1":         {},
		"2001:db8::1":      {},
	} {
		if got := r.Resolve(&h, net.ParseIP(ip)); got != want {
			t.Errorf("%s: %v, want %v", ip, got, want)
		}
	}
	h.Set("CF-IPCountry", "DE") // the trusted header wins
	if got := r.Resolve(&h, net.ParseIP("192.0.2.7")); got != (consent.Region{Country: "DE"}) {
		t.Errorf("header and DB: %v", got)
	}
}
