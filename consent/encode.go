package consent

import "github.com/crumbless/crumbless/internal/buf"

// Compact ASCII encodings, used on the wire and between the collector and
// the page. Each is canonical: a Parse function accepts only what its Append
// function writes, so parse(append(x)) == x and append(parse(s)) == s.
// They use letters, digits and . , = @ ! - only, so they need no escaping
// in JSON, URLs or headers.
//
//	Choice   one letter per purpose in Purpose order, U unset, D denied,
//	         G granted; then "@<At>" when At != 0.            "UGDDU@1732380000000"
//	Signals  flags among "gdous" in that order (GPC, DNT, OptOut, USOptOut,
//	         NoStorage); then ".<source letter><Choice>" for each non-zero
//	         choice in Source order; then "!<Invalid>" in decimal when
//	         non-zero. The zero Signals is "".                "g.bUGGUD@17.tUUDDD!8"
//	Policy   "<basis><authority><default><gpc scope><dnt><caps>.<Revision>.
//	         <WaitMillis>.<ValidityDays>.<rules>", where basis is e(xempt) or
//	         c(onsent), authority a source letter, default a profile letter,
//	         gpc scope s(ale-share) or a(ll-optional), dnt d (honoured) or -,
//	         caps a Choice without "@", and rules "MATCH=<profile letter>"
//	         joined by commas (at most MaxRules).    "etosdUUUUD.3.500.390.EEA=i,GB=g"
//	Region   "FR", "US-CA", or "" when unknown.
//	Flags    "i" interaction, "m" marketing, "im", or "".
//
// Source letters: n none, b banner, a api, t tcf, p gpp, g gcm. Profile
// letters: s strictest, i optin, g gb-statistical, o optout, x off.

// Limits on what the parsers accept.
const (
	// MaxRules is the most region rules a policy may have.
	MaxRules = 64
	// MaxSignalsLen and MaxPolicyLen bound the encoded forms.
	MaxSignalsLen = 256
	MaxPolicyLen  = 1024
)

const (
	stateLetters   = "UDG"
	sourceLetters  = "nbatpg"
	profileLetters = "sigox"
	signalLetters  = "gdous"
)

// letterIndex returns c's index in set, or -1.
func letterIndex(set string, c byte) int {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return i
		}
	}
	return -1
}

// letter returns set[i], or '?' (which no parser accepts) when i is out
// of range.
func letter(set string, i int) byte {
	if i < len(set) {
		return set[i]
	}
	return '?'
}

// ParseDec reads a canonical decimal (no sign, no leading zero) of at most
// max.
func ParseDec(b []byte, max uint64) (uint64, bool) {
	if len(b) == 0 || len(b) > 1 && b[0] == '0' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 || v > (max-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

// appendDec appends v in decimal, and AppendInt v (sdk/wire's AppendInt
// too, so the tracker module holds one copy). They do what
// strconv.AppendInt(dst, v, 10) does, which TinyGo makes several times
// larger in the tracker module.
func appendDec(dst []byte, v uint64) []byte {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		if v /= 10; v == 0 {
			break
		}
	}
	return buf.Bytes(dst, b[i:]...)
}

func AppendInt(dst []byte, v int64) []byte {
	if v < 0 {
		return appendDec(buf.Bytes(dst, '-'), -uint64(v))
	}
	return appendDec(dst, uint64(v))
}

func appendStates(dst []byte, st *[NumPurposes]State) []byte {
	for _, x := range st {
		dst = buf.Bytes(dst, letter(stateLetters, int(x)))
	}
	return dst
}

func parseStates(src []byte, st *[NumPurposes]State) bool {
	if len(src) != int(NumPurposes) {
		return false
	}
	for i, c := range src {
		k := letterIndex(stateLetters, c)
		if k < 0 {
			return false
		}
		st[i] = State(k)
	}
	return true
}

// AppendChoice appends c's encoding.
func AppendChoice(dst []byte, c *Choice) []byte {
	dst = appendStates(dst, &c.States)
	if c.At != 0 {
		dst = AppendInt(buf.Bytes(dst, '@'), c.At)
	}
	return dst
}

// ParseChoice reads AppendChoice's encoding.
func ParseChoice(src []byte) (c Choice, ok bool) {
	states, at := cut(src, '@')
	if !parseStates(states, &c.States) {
		return Choice{}, false
	}
	if at != nil {
		neg, max := len(at) > 0 && at[0] == '-', uint64(1<<63-1)
		if neg {
			at, max = at[1:], max+1
		}
		v, ok := ParseDec(at, max)
		if !ok || v == 0 {
			return Choice{}, false
		}
		c.At = int64(v)
		if neg {
			c.At = -c.At
		}
	}
	return c, true
}

func (s *Signals) flags() [len(signalLetters)]*bool {
	return [...]*bool{&s.GPC, &s.DNT, &s.OptOut, &s.USOptOut, &s.NoStorage}
}

// AppendSignals appends s's encoding.
func AppendSignals(dst []byte, s *Signals) []byte {
	for i, on := range [...]bool{s.GPC, s.DNT, s.OptOut, s.USOptOut, s.NoStorage} {
		if on {
			dst = buf.Bytes(dst, signalLetters[i])
		}
	}
	for i := range s.Choices {
		if s.Choices[i] != (Choice{}) {
			dst = AppendChoice(buf.Bytes(dst, '.', sourceLetters[i]), &s.Choices[i])
		}
	}
	if s.Invalid != 0 {
		dst = appendDec(buf.Bytes(dst, '!'), uint64(s.Invalid))
	}
	return dst
}

// ParseSignals reads AppendSignals's encoding, of at most MaxSignalsLen
// bytes.
func ParseSignals(src []byte) (s Signals, ok bool) {
	if len(src) > MaxSignalsLen {
		return Signals{}, false
	}
	i, last := 0, -1
	for flags := s.flags(); i < len(src); i++ {
		k := letterIndex(signalLetters, src[i])
		if k <= last {
			break
		}
		*flags[k], last = true, k
	}
	for last = -1; i+1 < len(src) && src[i] == '.'; {
		k := letterIndex(sourceLetters, src[i+1])
		j := i + 2
		for j < len(src) && src[j] != '.' && src[j] != '!' {
			j++
		}
		c, ok := ParseChoice(src[i+2 : j])
		if k <= last || !ok || c == (Choice{}) {
			return Signals{}, false
		}
		s.Choices[k], last, i = c, k, j
	}
	if i < len(src) && src[i] == '!' {
		v, ok := ParseDec(src[i+1:], 255)
		if !ok || v == 0 {
			return Signals{}, false
		}
		s.Invalid, i = uint8(v), len(src)
	}
	return s, i == len(src)
}

// AppendRegion appends "FR", "US-CA", or nothing for an unknown region.
func AppendRegion(dst []byte, r Region) []byte {
	dst = append(dst, r.Country...)
	if r.Subdivision != "" {
		dst = append(append(dst, '-'), r.Subdivision...)
	}
	return dst
}

// ParseRegion reads AppendRegion's encoding: "" (unknown), two upper-case
// letters, or those, "-" and one to three upper-case letters or digits.
func ParseRegion(src []byte) (r Region, ok bool) {
	if len(src) == 0 {
		return r, true
	}
	if !validRegion(src) {
		return r, false
	}
	r.Country = string(src[:2])
	if len(src) > 2 {
		r.Subdivision = string(src[3:])
	}
	return r, true
}

// validRegion reports whether src is a known region's encoding.
func validRegion(src []byte) bool {
	if len(src) < 2 || len(src) == 3 || len(src) > 6 || !upper(src[0]) || !upper(src[1]) {
		return false
	}
	for i, c := range src[2:] {
		if i == 0 && c != '-' || i > 0 && !upper(c) && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func upper(c byte) bool { return c >= 'A' && c <= 'Z' }

// AppendFlags appends d's flags: "i" for Interaction, "m" for Marketing.
func AppendFlags(dst []byte, d Decision) []byte {
	if d.Interaction {
		dst = buf.Bytes(dst, 'i')
	}
	if d.Marketing {
		dst = buf.Bytes(dst, 'm')
	}
	return dst
}

// ParseFlags reads AppendFlags's encoding: "", "i", "m" or "im".
func ParseFlags(src []byte) (interaction, marketing, ok bool) {
	switch string(src) {
	case "":
		return false, false, true
	case "i":
		return true, false, true
	case "m":
		return false, true, true
	case "im":
		return true, true, true
	}
	return false, false, false
}
