//go:build !tinygo

package wire

// AppendString appends s as a quoted JSON string (appendSafeString):
// invalid UTF-8 becomes U+FFFD; control characters, <, >, U+2028 and U+2029
// are escaped, so the output is safe on one NDJSON line and inside a
// <script>. Text that needs no escape, most of it, is copied at once.
func AppendString(dst, s []byte) []byte {
	if Plain(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendSafeString(dst, s)
}

// Plain reports whether s is printable ASCII that AppendString copies
// between its quotes unchanged.
func Plain(s []byte) bool {
	for _, c := range s {
		if !plainASCII[c] {
			return false
		}
	}
	return true
}

// plainASCII marks the bytes appendSafeString copies as they are.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>'
	}
	return t
}()
