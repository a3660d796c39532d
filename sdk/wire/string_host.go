//go:build !tinygo

package wire

// AppendString appends s as a quoted JSON string (appendSafeString):
// invalid UTF-8 becomes U+FFFD; control characters, <, >, U+2028 and U+2029
// are escaped, so the output is safe on one NDJSON line and inside a
// <script>.
func AppendString(dst, s []byte) []byte { return appendSafeString(dst, s) }
