package scrub

import (
	"bytes"
	"testing"
)

// FuzzAppend checks that no input makes Append panic, that its output is
// never longer than its input, that it keeps a prefix as it is, and that
// scrubbing scrubbed text changes nothing, and that text Plain calls plain
// is kept as it is.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{
		"/users/jane.doe@example.com/orders", "a%40b%40c.com", "x@y@z.com", "a@b.co.@c.de",
		"/reset/" + jwt, "eyJabcdefgh.xyz@a.com", "4111 1111 1111 1111 2024", "5 4111111111111111",
		"abcdefghijklmno_4111111111111111@x", "x@yy.com.1234567890ab1234567890ab1234567890ab",
		"MIXED32RUNMIXED32RUNMIXED32RUN12_4111111111111111@x", "order-12345",
		"Pricing - Shop", "/blog/2026/11/how-to-measure-without-cookies", "a-4111-1111-1111-1111", "eyJhbGciOiJ9",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		once := Append(nil, src)
		if len(once) > len(src) {
			t.Fatalf("Append(%q) = %q, longer than its input", src, once)
		}
		if twice := Append(nil, once); !bytes.Equal(twice, once) {
			t.Fatalf("not idempotent: %q -> %q -> %q", src, once, twice)
		}
		if Plain(src) && !bytes.Equal(once, src) {
			t.Fatalf("Plain(%q) but Append changed it to %q", src, once)
		}
		if got := Append([]byte("p@"), src); string(got[:2]) != "p@" || !bytes.Equal(got[2:], once) {
			t.Fatalf("Append(prefix, %q) = %q, want p@%q", src, got, once)
		}
	})
}
