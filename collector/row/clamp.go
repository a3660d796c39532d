package row

import (
	"bytes"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// What a row may say depends on its tier (consent.md §3.1):
//
//	field     T1                         T2                     T3
//	ts        truncated to the minute    the millisecond        the millisecond
//	referrer  origin only                without query or hash  without query or hash
//	lang      primary subtag ("en")      as sent                as sent
//	path      query: allowlist only      query: allowlist only  as sent
//
// Path redactions apply at every tier. Each function below appends a
// field's clamped value, allocating nothing.

// defaultQueryAllowlist is kept when a site names no parameters.
var defaultQueryAllowlist = [][]byte{
	[]byte("utm_source"), []byte("utm_medium"), []byte("utm_campaign"), []byte("utm_term"), []byte("utm_content"),
}

// clampTime truncates ms to the minute at T1.
func clampTime(ms int64, t consent.Tier) int64 {
	if t > consent.T1 {
		return ms
	}
	return ms - (ms%60000+60000)%60000
}

// appendReferrer appends ref as tier t allows, as a JSON string.
func appendReferrer(dst, ref []byte, t consent.Tier) []byte {
	if t <= consent.T1 {
		return appendScrubbedString(dst, origin(ref))
	}
	return appendScrubbedString(dst, withoutQuery(ref))
}

// withoutQuery returns u up to its query or fragment.
func withoutQuery(u []byte) []byte {
	if i := bytes.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// origin returns scheme://host[:port] of an absolute URL, or "" for
// anything else.
func origin(u []byte) []byte {
	i := bytes.Index(u, []byte("://"))
	if i <= 0 {
		return nil
	}
	end := bytes.IndexAny(u[i+3:], "/?#")
	if end < 0 {
		return u
	}
	return u[:i+3+end]
}

// clampLang returns the primary subtag of a BCP 47 tag at T1.
func clampLang(lang []byte, t consent.Tier) []byte {
	if t > consent.T1 {
		return lang
	}
	if i := bytes.IndexAny(lang, "-_"); i >= 0 {
		return lang[:i]
	}
	return lang
}

// appendPath appends the path with its redactions applied and, below T3,
// only the allowlisted query parameters, as a JSON string.
func appendPath(dst, path []byte, c *Context) []byte {
	if len(c.PathRedactions) == 0 && (c.Tier >= consent.T3 || bytes.IndexAny(path, "?#") < 0) {
		return appendScrubbedString(dst, path) // nothing to change but scrubbing
	}
	p, query := path, []byte(nil)
	if i := bytes.IndexAny(path, "?#"); i >= 0 {
		p, query = path[:i], path[i:]
	}
	start := len(dst)
	dst = appendRedacted(dst, p, c.PathRedactions)
	if c.Tier >= consent.T3 {
		dst = append(dst, query...)
	} else {
		dst = appendAllowedQuery(dst, query, c.allowlist())
	}
	return escapeTail(scrubTail(dst, start), start)
}

// escapeTail replaces dst[start:] by its JSON string form, in place.
func escapeTail(dst []byte, start int) []byte {
	mid := len(dst)
	if wire.Plain(dst[start:]) { // quote it where it is
		dst = append(dst, 0, '"')
		copy(dst[start+1:], dst[start:mid])
		dst[start] = '"'
		return dst
	}
	dst = wire.AppendString(dst, dst[start:mid])
	n := copy(dst[start:], dst[mid:])
	return dst[:start+n]
}

func (c *Context) allowlist() [][]byte {
	if len(c.QueryAllowlist) > 0 {
		return c.QueryAllowlist
	}
	return defaultQueryAllowlist
}

// appendAllowedQuery appends "?k=v&..." with only the allowed keys. The
// fragment is dropped, unless it is a hash route ("#/users/7", "#!/users/7":
// the path of a single-page app with a hash router, which the tracker sends
// when the site sets data-hash); the route's own query is dropped.
func appendAllowedQuery(dst, query []byte, allowed [][]byte) []byte {
	var fragment []byte
	if i := bytes.IndexByte(query, '#'); i >= 0 {
		query, fragment = query[:i], query[i:]
	}
	if len(query) > 0 && query[0] == '?' {
		query = query[1:]
		sep := byte('?')
		for len(query) > 0 {
			var pair []byte
			pair, query, _ = bytes.Cut(query, []byte("&"))
			key, _, _ := bytes.Cut(pair, []byte("="))
			if contains(allowed, key) {
				dst = append(append(dst, sep), pair...)
				sep = '&'
			}
		}
	}
	if bytes.HasPrefix(fragment, []byte("#/")) || bytes.HasPrefix(fragment, []byte("#!/")) {
		route, _, _ := bytes.Cut(fragment, []byte("?"))
		dst = append(dst, route...)
	}
	return dst
}

func contains(list [][]byte, v []byte) bool {
	for _, x := range list {
		if bytes.Equal(x, v) {
			return true
		}
	}
	return false
}

// appendRedacted appends path, with the segments a matching pattern marks
// "*" written as "*". The first matching pattern wins.
func appendRedacted(dst, path []byte, patterns [][]byte) []byte {
	for _, pat := range patterns {
		if matchSegments(pat, path) {
			return appendMasked(dst, path, pat)
		}
	}
	return append(dst, path...)
}

// matchSegments reports whether path has as many segments as pat and
// equals it wherever pat is not "*".
func matchSegments(pat, path []byte) bool {
	for {
		ps, prest, pmore := bytes.Cut(pat, []byte("/"))
		s, rest, more := bytes.Cut(path, []byte("/"))
		if !(len(ps) == 1 && ps[0] == '*' || bytes.Equal(ps, s)) {
			return false
		}
		if !pmore || !more {
			return pmore == more
		}
		pat, path = prest, rest
	}
}

func appendMasked(dst, path, pat []byte) []byte {
	for first := true; ; first = false {
		ps, prest, more := bytes.Cut(pat, []byte("/"))
		s, rest, _ := bytes.Cut(path, []byte("/"))
		if !first {
			dst = append(dst, '/')
		}
		if len(ps) == 1 && ps[0] == '*' {
			s = ps
		}
		dst = append(dst, s...)
		if !more {
			return dst
		}
		pat, path = prest, rest
	}
}
