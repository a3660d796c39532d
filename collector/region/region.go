// Package region resolves the visitor's region (country and subdivision)
// at the edge, from a header a trusted CDN sets or from a local
// MaxMind-format database, before the IP address is dropped. A region that
// cannot be resolved, or a code that names no country ("XX", "T1", the
// user-assigned codes), is unknown, and unknown means the strictest
// consent profile.
//
// It must not import collector or any other collector/<x> package.
package region

import (
	"fmt"
	"net"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/consent"
)

// Config says where regions come from. The zero value resolves nothing.
type Config struct {
	// CountryHeader is trusted when set: only behind a CDN that sets it on
	// every request and drops the client's own.
	CountryHeader string
	// SubdivisionHeader is "CA" or "US-CA"; used only with CountryHeader.
	SubdivisionHeader string
	// GeoIPDB is the path of a MaxMind-format database, consulted when no
	// header gives the country.
	GeoIPDB string
}

// Resolver resolves regions. It is safe for concurrent use.
type Resolver struct {
	country, subdivision []byte
	db                   *geoDB
}

// New returns a Resolver, opening the database if one is named.
func New(cfg Config) (*Resolver, error) {
	r := &Resolver{}
	if cfg.CountryHeader != "" {
		r.country = []byte(cfg.CountryHeader)
		if cfg.SubdivisionHeader != "" {
			r.subdivision = []byte(cfg.SubdivisionHeader)
		}
	}
	if cfg.GeoIPDB != "" {
		db, err := openGeoDB(cfg.GeoIPDB)
		if err != nil {
			return nil, fmt.Errorf("opening the region database: %w", err)
		}
		r.db = db
	}
	return r, nil
}

// Close releases the database.
func (r *Resolver) Close() error {
	if r == nil || r.db == nil {
		return nil
	}
	return r.db.close()
}

// Resolve returns the region of the request's sender. A nil Resolver
// resolves nothing.
func (r *Resolver) Resolve(h *fasthttp.RequestHeader, ip net.IP) consent.Region {
	if r == nil {
		return consent.Region{}
	}
	if r.country != nil {
		if c, ok := Country(h.PeekBytes(r.country)); ok {
			return consent.Region{Country: c, Subdivision: r.subdivisionOf(h, c)}
		}
	}
	if r.db != nil {
		return r.db.lookup(ip)
	}
	return consent.Region{}
}

func (r *Resolver) subdivisionOf(h *fasthttp.RequestHeader, country string) string {
	if r.subdivision == nil {
		return ""
	}
	return Subdivision(h.PeekBytes(r.subdivision), country)
}
