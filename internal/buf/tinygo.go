//go:build tinygo

package buf

// Overflow is set when a write did not fit in its slice's capacity.
var Overflow bool

// Bytes appends src to dst within dst's capacity.
func Bytes(dst []byte, src ...byte) []byte {
	n := len(dst)
	if len(src) > cap(dst)-n {
		Overflow = true
		return dst
	}
	dst = dst[:n+len(src)]
	copy(dst[n:], src)
	return dst
}

// String appends s to dst within dst's capacity.
func String(dst []byte, s string) []byte {
	n := len(dst)
	if len(s) > cap(dst)-n {
		Overflow = true
		return dst
	}
	dst = dst[:n+len(s)]
	copy(dst[n:], s)
	return dst
}
