// Package scrub replaces personal data in text with placeholders: e-mail
// addresses with [email], long tokens with [token] and payment card numbers
// with [card]. Paths, titles, referrers and property values go through it on
// the page and again at the edge.
//
// It is compiled into the tracker module as well as the collector, so it
// imports nothing but internal/buf, uses no tables and allocates nothing:
// every write is an internal/buf append within the caller's buffer. The
// output is never longer than the input.
//
// Matching is by shape, in one pass, and is idempotent: scrubbing scrubbed
// text changes nothing. A "word" is a run of [A-Za-z0-9_-]; tokens and cards
// start only at the start of a word.
//
//   - e-mail: local@domain, where the local part is [A-Za-z0-9._%+-]+, the @
//     may be written %40, and the domain has at least two labels and ends in
//     a label of two or more letters (7 bytes at least, so that the
//     placeholder is never longer).
//   - token: a JWT-like word starting eyJ, 10 bytes or more, with any
//     .segments that follow; or a word of 32 bytes or more that is all hex
//     digits or has a dash- or underscore-separated part mixing letters and
//     digits (so slugs like how-to-2024-... are kept; UUIDs are tokens).
//   - card: 13 to 19 digits, single spaces or dashes between groups,
//     starting with 2 to 6 (the card networks' first digits; millisecond
//     timestamps start with 1), Luhn-valid, not followed by a letter or digit.
package scrub

import "github.com/crumbless/crumbless/internal/buf"

const (
	emailText = "[email]"
	tokenText = "[token]"
	cardText  = "[card]"
)

// Append appends src to dst with personal data replaced, and returns the
// extended slice. Append(dst, src) equals dst followed by Append(nil, src).
func Append(dst, src []byte) []byte {
	start := len(dst)
	for i := 0; i < len(src); {
		if k := atSign(src, i); k > 0 {
			local := localLen(dst, start)
			if d := domainLen(src, i+k); local > 0 && d > 0 && local+k+d >= len(emailText) {
				dst = buf.String(dst[:len(dst)-local], emailText)
				i += k + d
				continue
			}
			dst = buf.Bytes(dst, src[i:i+k]...) // %40 stays whole: its 40 starts no word
			i += k
			continue
		} else if len(dst) == start || !isWord(dst[len(dst)-1]) {
			if n := tokenLen(src, i); n > 0 {
				dst = buf.String(dst, tokenText)
				i += n
				continue
			}
			if n := cardLen(src, i); n > 0 {
				dst = buf.String(dst, cardText)
				i += n
				continue
			}
		}
		dst = buf.Bytes(dst, src[i])
		i++
	}
	return dst
}

// atSign returns the length of the @ at src[i]: 1 for @, 3 for %40, else 0.
func atSign(src []byte, i int) int {
	switch {
	case src[i] == '@':
		return 1
	case src[i] == '%' && at(src, i+1) == '4' && at(src, i+2) == '0':
		return 3
	}
	return 0
}

// localLen returns the length of the e-mail local part that dst[start:]
// ends with.
func localLen(dst []byte, start int) int {
	n := 0
	for k := len(dst) - 1; k >= start && isLocal(dst[k]); k-- {
		n++
	}
	return n
}

// domainLen returns the length of the longest domain at src[i:] with two
// labels or more whose last label is two letters or more, or 0.
func domainLen(src []byte, i int) int {
	best, labels := 0, 0
	for j := i; ; j++ {
		k, letters := j, true
		for ; k < len(src) && (isAlnum(src[k]) || src[k] == '-'); k++ {
			letters = letters && isLetter(src[k])
		}
		if k == j {
			return best
		}
		labels++
		if labels >= 2 && letters && k-j >= 2 {
			best = k - i
		}
		if at(src, k) != '.' {
			return best
		}
		j = k
	}
}

// tokenLen returns the length of the token starting the word at src[i:],
// or 0.
func tokenLen(src []byte, i int) int {
	n, mixed, hex := 0, false, true
	letter, digit := false, false
	for ; i+n < len(src) && isWord(src[i+n]); n++ {
		c := src[i+n]
		switch {
		case isDigit(c):
			digit = true
		case c == '-' || c == '_':
			letter, digit, hex = false, false, false
		default:
			letter = true
			hex = hex && (c|0x20) >= 'a' && (c|0x20) <= 'f'
		}
		mixed = mixed || letter && digit
	}
	if n >= 10 && src[i] == 'e' && src[i+1] == 'y' && src[i+2] == 'J' {
		for at(src, i+n) == '.' && isWord(at(src, i+n+1)) {
			for n++; i+n < len(src) && isWord(src[i+n]); n++ {
			}
		}
		return n
	}
	if n < 32 || !mixed && !hex || i+n < len(src) && atSign(src, i+n) > 0 {
		return 0 // short, a slug, or an e-mail's local part
	}
	return n
}

// cardLen returns the length of the longest payment card number at src[i:],
// or 0.
func cardLen(src []byte, i int) int {
	if src[i] < '2' || src[i] > '6' {
		return 0
	}
	best, digits, even, odd := 0, 0, 0, 0 // even, odd: Luhn sums doubling even or odd positions
	for j := i; j < len(src); j++ {
		c := src[j]
		if (c == ' ' || c == '-') && isDigit(src[j-1]) && isDigit(at(src, j+1)) {
			continue
		}
		if !isDigit(c) || digits == 19 {
			break
		}
		d, dd := int(c-'0'), int(c-'0')*2
		if dd > 9 {
			dd -= 9
		}
		if digits%2 == 0 {
			even, odd = even+dd, odd+d
		} else {
			even, odd = even+d, odd+dd
		}
		digits++
		sum := odd
		if digits%2 == 0 {
			sum = even
		}
		if digits >= 13 && sum%10 == 0 && !isAlnum(at(src, j+1)) && at(src, j+1) != '_' {
			best = j + 1 - i
		}
	}
	return best
}

// at returns src[i], or 0 past the end.
func at(src []byte, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func isWord(c byte) bool   { return isAlnum(c) || c == '-' || c == '_' }
func isLocal(c byte) bool  { return isWord(c) || c == '.' || c == '%' || c == '+' }
