//go:build tinygo

package wire

// AppendString appends s, valid UTF-8, as a quoted JSON string
// (appendMinimalString): the tracker module needs no more.
func AppendString(dst, s []byte) []byte { return appendMinimalString(dst, s) }
