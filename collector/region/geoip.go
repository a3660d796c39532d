package region

import (
	"net"
	"net/netip"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/crumbless/crumbless/consent"
)

// geoDB is a MaxMind-format database (GeoLite2/GeoIP2 Country or City, or
// a compatible one such as DB-IP's or IPinfo's "country" files).
type geoDB struct {
	r *maxminddb.Reader
}

// geoRecord is the part of a record the collector reads: the country and,
// in City databases, the first (largest) subdivision. Nothing finer.
type geoRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions"`
}

func openGeoDB(path string) (*geoDB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, err
	}
	return &geoDB{r: r}, nil
}

func (g *geoDB) close() error { return g.r.Close() }

// lookup returns ip's region, or the unknown region.
func (g *geoDB) lookup(ip net.IP) consent.Region {
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return consent.Region{}
	}
	var rec geoRecord
	if err := g.r.Lookup(addr.Unmap()).Decode(&rec); err != nil {
		return consent.Region{}
	}
	country, ok := Country([]byte(rec.Country.ISOCode))
	if !ok {
		return consent.Region{}
	}
	reg := consent.Region{Country: country}
	if len(rec.Subdivisions) > 0 {
		reg.Subdivision = Subdivision([]byte(rec.Subdivisions[0].ISOCode), country)
	}
	return reg
}
