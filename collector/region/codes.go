package region

import (
	"bytes"
	"sync"
)

// countries holds every two-letter code as a string, so that turning a
// header into a consent.Region allocates nothing.
var countries [26 * 26]string

func init() {
	for i := range countries {
		countries[i] = string([]byte{byte('A' + i/26), byte('A' + i%26)})
	}
}

// Country returns the ISO 3166-1 alpha-2 code in b (any case, surrounding
// spaces ignored), or false for anything that is not one, including the
// codes that name no country: "XX" (unknown, as Cloudflare sends it), "T1"
// (Tor), and the user-assigned AA, QM–QZ, XA–XZ and ZZ, plus "EU" and "AP",
// which some databases use for a continent.
func Country(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) != 2 {
		return "", false
	}
	c0, c1 := upper(b[0]), upper(b[1])
	if c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z' || userAssigned(c0, c1) {
		return "", false
	}
	return countries[int(c0-'A')*26+int(c1-'A')], true
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func userAssigned(c0, c1 byte) bool {
	switch {
	case c0 == 'A' && c1 == 'A', c0 == 'Z' && c1 == 'Z', c0 == 'X':
		return true
	case c0 == 'Q' && c1 >= 'M':
		return true
	case c0 == 'E' && c1 == 'U', c0 == 'A' && c1 == 'P':
		return true
	}
	return false
}

// maxSubdivisions bounds the interned subdivision codes: the world has
// about 5,000, and a header an attacker controls must not grow memory.
const maxSubdivisions = 8192

// subdivisions interns subdivision codes, up to maxSubdivisions of them.
var subdivisions struct {
	sync.RWMutex
	m map[string]string
}

// Subdivision returns the subdivision code in b, "CA" or "US-CA" (then the
// country part must be country), in upper case, or "" when b holds none.
func Subdivision(b []byte, country string) string {
	b = bytes.TrimSpace(b)
	if len(b) > 3 && b[2] == '-' {
		if len(country) != 2 || upper(b[0]) != country[0] || upper(b[1]) != country[1] {
			return ""
		}
		b = b[3:]
	}
	var buf [3]byte
	if len(b) == 0 || len(b) > 3 {
		return ""
	}
	for i, c := range b {
		c = upper(c)
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return ""
		}
		buf[i] = c
	}
	return intern(buf[:len(b)])
}

func intern(code []byte) string {
	subdivisions.RLock()
	s, ok := subdivisions.m[string(code)]
	subdivisions.RUnlock()
	if ok {
		return s
	}
	subdivisions.Lock()
	defer subdivisions.Unlock()
	s = string(code)
	if subdivisions.m == nil {
		subdivisions.m = make(map[string]string)
	}
	if len(subdivisions.m) < maxSubdivisions {
		subdivisions.m[s] = s
	}
	return s
}
