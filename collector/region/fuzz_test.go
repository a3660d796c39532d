package region

import "testing"

func FuzzCodes(f *testing.F) {
	for _, s := range []string{"FR", "xx", "T1", "US-CA", "ca", " de ", "\xff\xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, ok := Country(b); ok && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
			t.Fatalf("Country(%q) = %q", b, c)
		}
		if s := Subdivision(b, "US"); len(s) > 3 {
			t.Fatalf("Subdivision(%q) = %q", b, s)
		}
	})
}
