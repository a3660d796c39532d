package scrub

// Plain reports whether Append would copy src unchanged: it has no @ and
// no %40, no word of 32 bytes or more, no word of 10 or more starting
// eyJ, and no run of 13 digits (single spaces or dashes between them
// allowed). It is conservative (it may say false for text Append keeps)
// and several times faster than Append, so the collector, which scrubs
// every text of every row, copies plain text as it is. The tracker does
// not call it, so it costs the module nothing.
func Plain(src []byte) bool {
	word, digits := 0, 0
	for i, c := range src {
		switch {
		case isDigit(c):
			word++
			digits++
		case isLetter(c) || c == '_':
			word++
			digits = 0
		case c == '-' || c == ' ':
			if c == '-' {
				word++
			} else {
				word = 0
			}
			if i == 0 || !isDigit(src[i-1]) {
				digits = 0
			}
		case c == '@' || c == '%' && at(src, i+1) == '4' && at(src, i+2) == '0':
			return false
		default:
			word, digits = 0, 0
		}
		if digits >= 13 || word >= 32 || word == 10 && src[i-9] == 'e' && src[i-8] == 'y' && src[i-7] == 'J' {
			return false
		}
	}
	return true
}
