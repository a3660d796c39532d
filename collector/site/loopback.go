package site

import "bytes"

var loopbackHosts = [...]string{"http://localhost", "http://127.0.0.1", "http://[::1]"}

// isLoopbackOrigin reports whether origin is plain http on a loopback host,
// with or without a port.
func isLoopbackOrigin(origin []byte) bool {
	for _, h := range loopbackHosts {
		rest, ok := bytes.CutPrefix(origin, []byte(h))
		if ok && (len(rest) == 0 || isPort(rest)) {
			return true
		}
	}
	return false
}

// isPort reports whether s is ":" followed by 1 to 5 digits.
func isPort(s []byte) bool {
	if len(s) < 2 || len(s) > 6 || s[0] != ':' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostsOf returns the host[:port] of each origin, and the loopback hosts
// when loopback is set.
func hostsOf(origins []string, loopback bool) [][]byte {
	hosts := make([][]byte, 0, len(origins)+len(loopbackHosts))
	for _, o := range origins {
		if _, h, ok := bytes.Cut([]byte(o), []byte("://")); ok {
			hosts = append(hosts, h)
		}
	}
	if loopback {
		for _, o := range loopbackHosts {
			_, h, _ := bytes.Cut([]byte(o), []byte("://"))
			hosts = append(hosts, h)
		}
	}
	return hosts
}
