package site

import (
	"strings"
	"testing"
)

func TestAllows(t *testing.T) {
	s := &Site{ID: "example.com", Origins: []string{"https://example.com", "http://shop.example.com:8080"}}
	demo := &Site{ID: "x", Loopback: true}
	tests := []struct {
		site   *Site
		origin string
		want   bool
	}{
		{s, "https://example.com", true},
		{s, "http://shop.example.com:8080", true},
		{s, "http://example.com", false},
		{s, "https://example.com:443", false},
		{s, "https://example.com.evil.test", false},
		{s, "https://EXAMPLE.com", false},
		{s, "", false},
		{s, "null", false},
		{s, "http://localhost:8080", false},
		{demo, "http://localhost", true},
		{demo, "http://localhost:8080", true},
		{demo, "http://127.0.0.1:1", true},
		{demo, "http://[::1]:3000", true},
		{demo, "https://localhost:8080", false},
		{demo, "http://localhost.evil.test", false},
		{demo, "http://localhost:", false},
		{demo, "http://localhost:123456", false},
		{demo, "http://localhost:80a", false},
		{demo, "http://127.0.0.1.nip.io", false},
	}
	for _, tt := range tests {
		if got := tt.site.Allows([]byte(tt.origin)); got != tt.want {
			t.Errorf("%s.Allows(%q) = %v, want %v", tt.site.ID, tt.origin, got, tt.want)
		}
	}
}

func TestRegistry(t *testing.T) {
	sites := []Site{{ID: "example.com", Origins: []string{"https://example.com"}}}
	r, err := NewRegistry(sites, false)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := r.Lookup([]byte("example.com")); !ok || s.ID != "example.com" || s.Loopback {
		t.Errorf("Lookup(example.com) = %+v, %v", s, ok)
	}
	if _, ok := r.Lookup([]byte("other.com")); ok {
		t.Error("unknown site found outside demo mode")
	}

	demo, err := NewRegistry(sites, true)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := demo.Lookup([]byte("example.com")); !s.Allows([]byte("http://localhost:8080")) || !s.Allows([]byte("https://example.com")) {
		t.Error("configured site in demo mode should allow its origins and loopback")
	}
	if s, ok := demo.Lookup([]byte("anything.test")); !ok || s.ID != LoopbackAny || s.Allows([]byte("https://example.com")) {
		t.Errorf("demo Lookup(anything.test) = %+v, %v", s, ok)
	}
	for _, bad := range []string{"../etc", "a/b", "UPPER", ""} {
		if _, ok := demo.Lookup([]byte(bad)); ok {
			t.Errorf("demo Lookup(%q) found a site", bad)
		}
	}
}

func TestNewRegistryRejects(t *testing.T) {
	_, err := NewRegistry([]Site{
		{ID: "a.com", Origins: []string{"https://a.com"}},
		{ID: "a.com"},
		{ID: "B.com"},
		{ID: "c.com", Origins: []string{"c.com"}},
	}, false)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"site 1: id \"a.com\" listed twice", "site 2:", "site 3:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestValidateID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"example.com", ""},
		{"my-site-2", ""},
		{"a", ""},
		{"", "is empty"},
		{strings.Repeat("a", 254), "longer than 253"},
		{"Example.com", `"Example.com" has upper-case letters; write it as example.com`},
		{"my site", "may contain only lower-case letters"},
		{"a/b", "may contain only"},
		{"a_b", "may contain only"},
		{"a..b", "two dots in a row"},
		{"..", "two dots in a row"},
		{"-a", "must start and end"},
		{"a.", "must start and end"},
	}
	for _, tt := range tests {
		checkErr(t, "ValidateID", tt.id, ValidateID(tt.id), tt.want)
		if got := ValidID([]byte(tt.id)); got != (tt.want == "") {
			t.Errorf("ValidID(%q) = %v", tt.id, got)
		}
	}
}

func TestValidateOrigin(t *testing.T) {
	tests := []struct{ origin, want string }{
		{"https://example.com", ""},
		{"http://localhost:8080", ""},
		{"http://[::1]:8080", ""},
		{"https://127.0.0.1", ""},
		{"", "is empty"},
		{"example.com", `"example.com" is not an origin; write it as https://example.com`},
		{"example.com/blog", "write it as https://example.com"},
		{"https://*.example.com", "wildcards are not supported"},
		{"ftp://example.com", "only http and https"},
		{"https://example.com/", `has a path; write it as https://example.com`},
		{"https://example.com/blog?x", `has a path; write it as https://example.com`},
		{"https://Example.com", "upper-case letters; write it as https://example.com"},
		{"HTTPS://example.com", "upper-case letters; write it as https://example.com"},
		{"https://", "has no host"},
		{"https://user@example.com", "has a user name"},
		{"https://exa_mple.com", "invalid host name"},
		{"https://example.com:0", "invalid port"},
		{"https://example.com:99999", "invalid port"},
		{"https://example.com:x", "invalid port"},
		{"https://example.com:443", "write it as https://example.com"},
		{"http://example.com:80", "write it as http://example.com"},
	}
	for _, tt := range tests {
		checkErr(t, "ValidateOrigin", tt.origin, ValidateOrigin(tt.origin), tt.want)
	}
}

func checkErr(t *testing.T, fn, in string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s(%q) = %v, want nil", fn, in, err)
	case want != "" && err == nil:
		t.Errorf("%s(%q) = nil, want %q", fn, in, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s(%q) = %q, want it to contain %q", fn, in, err, want)
	}
}
