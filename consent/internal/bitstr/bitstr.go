// Package bitstr reads the bit strings of the IAB consent formats (TCF TC
// strings and GPP strings): base64url segments decoded to bytes, then read
// big-endian, MSB first, with Fibonacci-coded integers for GPP ranges.
package bitstr

// b64 maps a base64url character to its 6-bit value, or 0xff. '+' and '/'
// are tolerated on input as 62 and 63, as both the TCF and the GPP
// specifications allow.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	t['+'], t['/'] = 62, 63
	return t
}()

// alphabet is base64url, the alphabet both formats are written in.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// EncodeBits writes a string of '0' and '1' as unpadded base64url, the last
// character zero-filled: the inverse of Decode, for building strings in
// tests and tools.
func EncodeBits(bits string) string {
	out := make([]byte, 0, (len(bits)+5)/6)
	for i := 0; i < len(bits); i += 6 {
		v := 0
		for j := i; j < i+6; j++ {
			v <<= 1
			if j < len(bits) && bits[j] == '1' {
				v |= 1
			}
		}
		out = append(out, alphabet[v])
	}
	return string(out)
}

// Decode appends the bits of one base64url segment (no padding, trailing
// '=' tolerated) to dst and returns the new slice and the number of valid
// bits. ok is false on a character outside the alphabet.
func Decode(dst []byte, seg string) (out []byte, nbits int, ok bool) {
	for len(seg) > 0 && seg[len(seg)-1] == '=' {
		seg = seg[:len(seg)-1]
	}
	var acc uint32
	var n uint
	for i := 0; i < len(seg); i++ {
		v := b64[seg[i]]
		if v == 0xff {
			return dst, 0, false
		}
		acc = acc<<6 | uint32(v)
		n += 6
		if n >= 8 {
			n -= 8
			dst = append(dst, byte(acc>>n))
			acc &= 1<<n - 1
		}
	}
	if n > 0 {
		dst = append(dst, byte(acc<<(8-n)))
	}
	return dst, len(seg) * 6, true
}

// Reader is a big-endian bit reader. Reading past the end makes Short true
// and returns zeros, so callers check Short once per field group.
type Reader struct {
	b     []byte
	n     int // number of valid bits
	pos   int
	short bool
}

// NewReader reads the first nbits bits of b.
func NewReader(b []byte, nbits int) *Reader { return &Reader{b: b, n: nbits} }

// Left is the number of bits not read yet.
func (r *Reader) Left() int { return r.n - r.pos }

// Pos is the number of bits read.
func (r *Reader) Pos() int { return r.pos }

// Short reports whether a read went past the end.
func (r *Reader) Short() bool { return r.short }

// Uint reads k ≤ 64 bits.
func (r *Reader) Uint(k int) uint64 {
	if k > r.n-r.pos {
		r.short = true
		r.pos = r.n
		return 0
	}
	var v uint64
	for k > 0 {
		byteIdx := r.pos >> 3
		off := r.pos & 7
		take := 8 - off
		if take > k {
			take = k
		}
		bitsv := uint64(r.b[byteIdx]>>(8-off-take)) & (1<<take - 1)
		v = v<<take | bitsv
		k -= take
		r.pos += take
	}
	return v
}

// Bit reads one bit.
func (r *Reader) Bit() bool { return r.Uint(1) == 1 }

// maxFibTerms bounds a Fibonacci code: F(30) > 1.3 million, far above any
// section ID or offset.
const maxFibTerms = 30

// Fib reads a Fibonacci-coded integer (terms 1, 2, 3, 5, 8, …; ends with
// "11"). ok is false if the code is unterminated or too long.
func (r *Reader) Fib() (v int, ok bool) {
	a, b := 1, 2 // current term, next term
	prev := false
	for i := 0; i <= maxFibTerms; i++ {
		if r.pos >= r.n {
			r.short = true
			return 0, false
		}
		bit := r.Bit()
		if bit && prev {
			return v, true
		}
		if bit {
			v += a
		}
		prev = bit
		a, b = b, a+b
	}
	return 0, false
}
