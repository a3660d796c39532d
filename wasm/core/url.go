package core

// The loader parses URLs with the browser's URL API and hands over their
// parts (wasm/ABI.md): host names in lower case, paths percent-encoded,
// query parameters decoded. The module only compares and picks.

// isLocal reports whether a page's host name is empty (a file: URL) or
// names this machine: localhost, a .localhost name, 127.x.x.x, [::1] or
// 0.0.0.0.
func isLocal(host []byte) bool {
	return len(host) == 0 || equal(host, "localhost") || hasSuffix(host, ".localhost") ||
		(len(host) > 4 && equal(host[:4], "127.")) || equal(host, "[::1]") || equal(host, "0.0.0.0")
}

func hasSuffix(b []byte, s string) bool { return len(b) >= len(s) && equal(b[len(b)-len(s):], s) }

// extension returns the extension of a URL path's last segment, without
// the dot, or nil.
func extension(path []byte) []byte {
	for i := len(path) - 1; i >= 0 && path[i] != '/'; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return nil
}
