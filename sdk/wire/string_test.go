package wire

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzAppendMinimalString checks the tracker's JSON strings: every valid
// UTF-8 input comes back unchanged through encoding/json.
func FuzzAppendMinimalString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "new\nline\x00\x1f\x7f", "<é>\u2028🎉"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := appendMinimalString([]byte("x"), []byte(s))
		var got string
		if err := json.Unmarshal(out[1:], &got); err != nil || got != s || out[0] != 'x' {
			t.Fatalf("appendMinimalString(%q) = %s: %q, %v", s, out, got, err)
		}
	})
}
