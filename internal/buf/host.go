//go:build !tinygo

package buf

// Overflow is never set on the host: append grows the slice.
var Overflow bool

// Bytes appends src to dst.
func Bytes(dst []byte, src ...byte) []byte { return append(dst, src...) }

// String appends s to dst.
func String(dst []byte, s string) []byte { return append(dst, s...) }
