package buf

import "testing"

func TestAppends(t *testing.T) {
	b := Bytes(nil, 'a', 'b')
	b = String(b, "cd")
	if string(b) != "abcd" || Overflow {
		t.Fatalf("got %q, overflow %v", b, Overflow)
	}
}
