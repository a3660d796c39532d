package site

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Path patterns of goals: segments separated by "/"; within a segment,
// "*" matches any characters but "/" (so /blog/* matches /blog/a but not
// /blog/a/b, and /docs/*.pdf matches /docs/guide.pdf); a last segment
// "**" matches whatever follows, including nothing (/docs/** matches
// /docs, /docs/ and /docs/a/b). Anything else matches itself; the query
// and fragment of a path are not part of the match.

// ValidatePattern explains why p is not a path pattern, or returns nil.
func ValidatePattern(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q must start with /, like /pricing or /blog/*", p)
	case strings.ContainsAny(p, "?# "):
		return fmt.Errorf("%q may not contain ?, # or spaces: goals match the path alone", p)
	case len(p) > 2048:
		return errors.New("is longer than 2048 bytes")
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		if strings.Contains(s, "**") && (s != "**" || i != len(segs)-1) {
			return fmt.Errorf("%q: ** may only be the whole last segment, like /docs/**", p)
		}
	}
	return nil
}

// matchPath reports whether path matches the pattern pat.
func matchPath(pat, path []byte) bool {
	for {
		if string(pat) == "/**" { // the rest, if any, is under the path so far
			return len(path) == 0 || path[0] == '/'
		}
		if len(pat) == 0 || len(path) == 0 {
			return len(pat) == len(path)
		}
		ps, prest := cutSegment(pat)
		s, rest := cutSegment(path)
		if !matchSegment(ps, s) {
			return false
		}
		pat, path = prest, rest
	}
}

// cutSegment splits "/seg/rest" into "/seg" and "/rest".
func cutSegment(p []byte) (seg, rest []byte) {
	if i := bytes.IndexByte(p[1:], '/'); i >= 0 {
		return p[:i+1], p[i+1:]
	}
	return p, nil
}

// matchSegment matches one segment against a pattern segment whose "*"s
// stand for any run of bytes (a glob without classes).
func matchSegment(pat, s []byte) bool {
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(s) {
		switch {
		case i < len(pat) && pat[i] == '*':
			star, mark = i, j
			i++
		case i < len(pat) && pat[i] == s[j]:
			i++
			j++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
	}
	for i < len(pat) && pat[i] == '*' {
		i++
	}
	return i == len(pat)
}
