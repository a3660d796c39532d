package wire

import "github.com/crumbless/crumbless/internal/buf"

// appendMinimalString appends s, which must be valid UTF-8, as a quoted
// JSON string with only the escapes JSON requires: the quote, the
// backslash and control characters. It is the tracker's AppendString: the
// page's strings come from the loader's TextEncoder and are cut at rune
// boundaries, so they are valid UTF-8, and its batches are only ever
// parsed by the collector, which writes rows with appendSafeString.
func appendMinimalString(dst, s []byte) []byte {
	dst = buf.Bytes(dst, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = buf.Bytes(buf.Bytes(dst, s[start:i]...), '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		start = i + 1
	}
	return buf.Bytes(buf.Bytes(dst, s[start:]...), '"')
}
