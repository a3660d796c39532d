package site

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidateOrigin checks that ValidateOrigin never panics and that an
// origin it accepts is allowed, exactly, by a site that lists it.
func FuzzValidateOrigin(f *testing.F) {
	for _, s := range []string{"https://example.com", "http://[::1]:8080", "example.com/x", "HTTPS://A.B:0", "http://a:65536", "https://[", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, origin string) {
		if ValidateOrigin(origin) != nil {
			return
		}
		s := &Site{Origins: []string{origin}}
		if !s.Allows([]byte(origin)) || s.Allows([]byte(origin+"x")) {
			t.Errorf("valid origin %q not matched exactly", origin)
		}
	})
}

// FuzzValidID checks that ValidID and ValidateID agree, and that a valid id
// is a safe single path segment.
func FuzzValidID(f *testing.F) {
	for _, s := range []string{"example.com", "..", "a..b", "A", "a/b", "-a", "a-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		valid := ValidID([]byte(id))
		if valid != (ValidateID(id) == nil) {
			t.Errorf("ValidID(%q) = %v but ValidateID says %v", id, valid, ValidateID(id))
		}
		if valid && (id == "." || id == ".." || containsAny(id, "/\\\x00")) {
			t.Errorf("ValidID accepted unsafe %q", id)
		}
	})
}

func containsAny(s, chars string) bool {
	for i := range len(s) {
		for j := range len(chars) {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}

// FuzzMatchPath checks goal path matching against a regular expression
// built from the same pattern: * is [^/]*, a last /** is (/.*)?.
func FuzzMatchPath(f *testing.F) {
	for _, s := range [][2]string{{"/docs/**", "/docs/a/b"}, {"/p/*-*", "/p/a-b"}, {"/", "/"}, {"/a*b*c", "/aXbYc"}, {"/**", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pat, path string) {
		if ValidatePattern(pat) != nil || strings.ContainsAny(path, "?#") || !utf8.ValidString(pat) || !utf8.ValidString(path) {
			return
		}
		re := "(?s)^"
		body, rest := strings.CutSuffix(pat, "/**")
		for i, part := range strings.Split(body, "*") {
			if i > 0 {
				re += "[^/]*"
			}
			re += regexp.QuoteMeta(part)
		}
		if rest {
			re += "(/.*)?"
		}
		want := regexp.MustCompile(re + "$").MatchString(path)
		if got := matchPath([]byte(pat), []byte(path)); got != want {
			t.Fatalf("matchPath(%q, %q) = %v, regexp %s says %v", pat, path, got, re, want)
		}
	})
}
