package site

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxIDLen is the longest site id, the longest DNS name.
const MaxIDLen = 253

// ValidID reports whether id is a well-formed site id: 1 to MaxIDLen
// lower-case letters, digits, dots and dashes, starting and ending with a
// letter or digit, without two dots in a row. Such an id is safe as a path
// segment and in a Hive partition name.
func ValidID(id []byte) bool {
	if len(id) == 0 || len(id) > MaxIDLen || !isAlnum(id[0]) || !isAlnum(id[len(id)-1]) {
		return false
	}
	for i, c := range id {
		if !isAlnum(c) && c != '-' && (c != '.' || id[i-1] == '.') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// ValidateID explains why id is not a valid site id, in words for the
// site's owner, or returns nil.
func ValidateID(id string) error {
	lower := strings.ToLower(id)
	switch {
	case id == "":
		return errors.New("is empty; write the site's domain, like example.com")
	case len(id) > MaxIDLen:
		return fmt.Errorf("is longer than %d characters", MaxIDLen)
	case ValidID([]byte(id)):
		return nil
	case ValidID([]byte(lower)):
		return fmt.Errorf("%q has upper-case letters; write it as %s", id, lower)
	case strings.Trim(lower, idChars) != "":
		return fmt.Errorf("%q may contain only lower-case letters, digits, dots and dashes, like example.com", id)
	case strings.Contains(id, ".."):
		return fmt.Errorf("%q has two dots in a row", id)
	}
	return fmt.Errorf("%q must start and end with a letter or a digit", id)
}

const idChars = "abcdefghijklmnopqrstuvwxyz0123456789.-"

// ValidateOrigin explains why o is not an origin that a site's pages can
// send from, with the fix where there is one, or returns nil. An origin is
// http or https, a host and an optional port, nothing else, as browsers send
// it in the Origin header.
func ValidateOrigin(o string) error {
	if o == "" {
		return errors.New("is empty; write an origin like https://example.com")
	}
	if strings.Contains(o, "*") {
		return fmt.Errorf("%q: wildcards are not supported; list each origin, like https://example.com", o)
	}
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		return fmt.Errorf("%q is not an origin; write it as https://%s", o, strings.ToLower(hostPart(o)))
	}
	if s := strings.ToLower(scheme); s != "http" && s != "https" {
		return fmt.Errorf("%q is not a web origin; only http and https pages send events", o)
	}
	return validateHost(o, strings.ToLower(scheme), rest)
}

func validateHost(o, scheme, rest string) error {
	host := hostPart(rest)
	fix := scheme + "://" + strings.ToLower(host)
	switch {
	case host == "":
		return fmt.Errorf("%q has no host", o)
	case strings.Contains(host, "@"):
		return fmt.Errorf("%q has a user name; an origin is only scheme://host[:port]", o)
	case host != rest:
		return fmt.Errorf("%q has a path; write it as %s", o, fix)
	case o != fix:
		return fmt.Errorf("%q has upper-case letters; write it as %s", o, fix)
	}
	name, port := splitPort(host)
	if !validHostName(name) {
		return fmt.Errorf("%q has an invalid host name", o)
	}
	return validatePort(o, scheme, name, port)
}

func validatePort(o, scheme, name, port string) error {
	if port == "" {
		return nil
	}
	n, err := strconv.Atoi(port)
	switch {
	case err != nil || n < 1 || n > 65535 || port[0] == '0':
		return fmt.Errorf("%q has an invalid port", o)
	case scheme == "http" && n == 80, scheme == "https" && n == 443:
		return fmt.Errorf("%q names the default port, which browsers leave out; write it as %s://%s", o, scheme, name)
	}
	return nil
}

// hostPart returns s up to its first '/', '?' or '#'.
func hostPart(s string) string {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		return s[:i]
	}
	return s
}

// splitPort splits "host:port" and "[v6]:port"; port is "" when absent.
func splitPort(host string) (name, port string) {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return host, ""
	}
	return host[:i], host[i+1:]
}

func validHostName(name string) bool {
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		return len(name) > 2 && strings.Trim(name[1:len(name)-1], "0123456789abcdef:.") == ""
	}
	return ValidID([]byte(name))
}
