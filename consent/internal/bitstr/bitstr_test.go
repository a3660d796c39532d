package bitstr

import "testing"

func TestFibonacci(t *testing.T) {
	// Source: consent.md §4.2.1 (GPP spec): 1=11, 2=011, 3=0011, 4=1011,
	// 5=00011, 6=10011, 7=01011.
	for want, code := range []string{1: "11", 2: "011", 3: "0011", 4: "1011", 5: "00011", 6: "10011", 7: "01011"} {
		if code == "" {
			continue
		}
		var b [1]byte
		for i, c := range code {
			if c == '1' {
				b[0] |= 0x80 >> i
			}
		}
		r := NewReader(b[:], 8)
		got, ok := r.Fib()
		if !ok || got != want || r.Pos() != len(code) {
			t.Errorf("fib(%s) = %d, %v, pos %d", code, got, ok, r.Pos())
		}
	}
}

func TestDecodeSegment(t *testing.T) {
	// "DBACNY" is a GPP header (consent.md §4.2.1): 36 bits, type 3 in the
	// first 6 ("D" = 3), version 1 in the next 6 ("B" = 1).
	b, n, ok := Decode(nil, "DBACNY=")
	if !ok || n != 36 {
		t.Fatalf("Decode: %d bits, %v", n, ok)
	}
	r := NewReader(b, n)
	if typ, ver := r.Uint(6), r.Uint(6); typ != 3 || ver != 1 {
		t.Errorf("type %d version %d, want 3 and 1", typ, ver)
	}
	r.Uint(r.Left())
	if r.Short() || r.Left() != 0 {
		t.Errorf("reading exactly the rest: short %v, left %d", r.Short(), r.Left())
	}
	if r.Uint(1) != 0 || !r.Short() {
		t.Error("reading past the end must return zero and set Short")
	}
	if _, _, ok := Decode(nil, "AB*C"); ok {
		t.Error("a character outside the alphabet was accepted")
	}
	if a, _, _ := Decode(nil, "-_"); string(a) != string([]byte{0xfb, 0xf0}) {
		t.Errorf("Decode(-_) = %x", a)
	}
	if a, _, _ := Decode(nil, "+/"); string(a) != string([]byte{0xfb, 0xf0}) {
		t.Errorf("'+' and '/' are not tolerated as 62 and 63: %x", a)
	}
}

func TestEncodeBitsIsDecodesInverse(t *testing.T) {
	for _, bits := range []string{"", "1", "000011000001", "1011001110001111000011111", "111111111111"} {
		enc := EncodeBits(bits)
		b, n, ok := Decode(nil, enc)
		if !ok || n != 6*len(enc) || n < len(bits) || n-len(bits) >= 6 {
			t.Fatalf("Decode(EncodeBits(%q)) = %d bits, %v", bits, n, ok)
		}
		r := NewReader(b, n)
		for i, c := range bits {
			if got := r.Bit(); got != (c == '1') {
				t.Errorf("%q: bit %d = %v", bits, i, got)
			}
		}
		for r.Left() > 0 {
			if r.Bit() {
				t.Errorf("%q: padding bit set", bits)
			}
		}
	}
	if got := EncodeBits("000011000001"); got != "DB" {
		t.Errorf("EncodeBits = %q, want DB (a GPP header's type 3, version 1)", got)
	}
}
