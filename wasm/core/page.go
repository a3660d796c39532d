package core

import "github.com/crumbless/crumbless/sdk/wire"

// pathOf returns the path of a URL: what follows the scheme and authority,
// up to the query or fragment ("https://a.example/b/c?d#e" → "/b/c"). A URL
// with an empty path, or one that has no authority ("about:blank"), has the
// path "/". Percent-encoding is kept as it is.
func pathOf(href []byte) []byte {
	href = withoutQuery(href)
	if len(href) > 0 && href[0] == '/' && (len(href) == 1 || href[1] != '/') {
		return href
	}
	if i := indexAuthority(href); i >= 0 {
		for j := i; j < len(href); j++ {
			if href[j] == '/' {
				return href[j:]
			}
		}
	}
	return rootPath
}

var rootPath = []byte{'/'}

// indexAuthority returns the index just after the "//" that starts a URL's
// authority ("https://" or a scheme-relative "//"), or -1.
func indexAuthority(u []byte) int {
	for i := 0; i+1 < len(u); i++ {
		c := u[i]
		if c == '/' {
			if u[i+1] == '/' && (i == 0 || u[i-1] == ':') {
				return i + 2
			}
			return -1
		}
		if c == '?' || c == '#' {
			return -1
		}
	}
	return -1
}

// withoutQuery cuts u at its query or fragment.
func withoutQuery(u []byte) []byte {
	for i, c := range u {
		if c == '?' || c == '#' {
			return u[:i]
		}
	}
	return u
}

// Viewport classes by width in CSS pixels: xs below 576, sm below 768, md
// below 1024, lg below 1440, xl from 1440 (Bootstrap's breakpoints, merged at
// the top).
var (
	viewportBreaks = [...]int{576, 768, 1024, 1440}
	viewportNames  = []byte("xssmmdlgxl")
)

// viewportClass returns the class of a width given as decimal text, or nil
// when the text is not a whole number of at most nine digits.
func viewportClass(width []byte) []byte {
	if len(width) == 0 || len(width) > 9 {
		return nil
	}
	w := 0
	for _, c := range width {
		if c < '0' || c > '9' {
			return nil
		}
		w = w*10 + int(c-'0')
	}
	i := 0
	for i < len(viewportBreaks) && w >= viewportBreaks[i] {
		i++
	}
	return viewportNames[2*i : 2*i+2 : 2*i+2]
}

// pageview fills e from a page record: href, referrer, title, viewport
// width, language, time zone. Missing trailing fields are empty. It reports
// false, and e is not to be used, when the href is empty.
func pageview(e *wire.Event, f *fields) bool {
	href := f.next()
	if len(href) == 0 {
		return false
	}
	e.Kind = wire.KindPageview
	setCut(&e.Path, pathOf(href), wire.MaxPathLen)
	setCut(&e.Referrer, withoutQuery(f.next()), wire.MaxReferrerLen)
	f.take(&e.Title, wire.MaxTitleLen)
	e.Viewport = viewportClass(f.next())
	f.take(&e.Lang, wire.MaxShortLen)
	f.take(&e.TZ, wire.MaxShortLen)
	return true
}

// take sets *dst to the next field cut to n bytes, and setCut to v cut so
// (wire.Truncate). Passing dst by pointer makes the module smaller.
func (f *fields) take(dst *[]byte, n int) { setCut(dst, f.next(), n) }

func setCut(dst *[]byte, v []byte, n int) { *dst = wire.Truncate(v, n) }
