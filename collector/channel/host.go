package channel

import "bytes"

// maxHost is the longest DNS name; maxName the longest source name looked
// up (longer ones are not in the tables).
const (
	maxHost = 253
	maxName = 64
)

// hostOf returns the host of an absolute URL (without user info and
// port), or of an app referrer (android-app://com.google.android.gm), as a
// view into u; nil when u has none.
func hostOf(u []byte) []byte {
	i := bytes.Index(u, []byte("://"))
	if i <= 0 {
		return nil
	}
	rest := u[i+3:]
	if end := bytes.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	if at := bytes.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	return withoutPort(rest)
}

// withoutPort drops ":port" from host[:port] or [v6]:port.
func withoutPort(h []byte) []byte {
	i := bytes.LastIndexByte(h, ':')
	if i < 0 || bytes.HasSuffix(h, []byte("]")) {
		return h
	}
	return h[:i]
}

// lower appends s in lower case to dst, which has room for maxName or
// maxHost bytes; an s that does not fit gives nil.
func lower(dst, s []byte) []byte {
	if len(s) > cap(dst)-len(dst) {
		return nil
	}
	for _, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// isOwn reports whether host is one of the site's own hosts.
func isOwn(host []byte, own [][]byte) bool {
	for _, o := range own {
		if bytes.EqualFold(withoutPort(o), host) {
			return true
		}
	}
	return false
}
