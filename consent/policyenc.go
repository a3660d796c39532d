package consent

import "github.com/crumbless/crumbless/internal/buf"

// policyLetters are the letter sets of the policy encoding's first five
// bytes: basis, authority, default profile, GPC scope and DNT.
var policyLetters = [5]string{"ecn", sourceLetters, profileLetters, "sa", "-d"}

// AppendPolicy appends p's encoding (see encode.go).
func AppendPolicy(dst []byte, p *Policy) []byte {
	dnt := 0
	if p.HonorDNT {
		dnt = 1
	}
	for i, v := range [5]int{int(p.Basis), int(p.Authority), int(p.Default), int(p.GPCScope), dnt} {
		dst = append(dst, letter(policyLetters[i], v))
	}
	dst = appendStates(dst, &p.Caps)
	for _, v := range [3]uint32{p.Revision, p.WaitMillis, p.ValidityDays} {
		dst = appendDec(append(dst, '.'), uint64(v))
	}
	dst = append(dst, '.')
	for i, r := range p.Regions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(append(dst, r.Match...), '=', letter(profileLetters, int(r.Profile)))
	}
	return dst
}

// ParsePolicy reads AppendPolicy's encoding, of at most MaxPolicyLen bytes
// and MaxRules rules, each with a valid Match (ValidRegionMatch).
func ParsePolicy(src []byte) (p Policy, ok bool) {
	ok = ParsePolicyInto(&p, src)
	return p, ok
}

// ParsePolicyInto is ParsePolicy into *p, which it overwrites (the zero
// Policy when the encoding is refused before its rules): the tracker parses
// into the policy it keeps instead of copying a returned one.
func ParsePolicyInto(p *Policy, src []byte) bool {
	rest, ok := parseHead(p, src)
	if !ok {
		return false
	}
	p.Regions, ok = parseRules(rest)
	return ok
}

// ParsePolicyHead is ParsePolicyInto without the region rules: it checks
// and reads everything before them, and leaves p.Regions nil. The page
// uses it, since the edge resolves the visitor's profile (ProfileFor) and
// sends it with the policy.
func ParsePolicyHead(p *Policy, src []byte) bool {
	_, ok := parseHead(p, src)
	return ok
}

// parseHead reads the encoding up to the rules, which it returns.
func parseHead(p *Policy, src []byte) ([]byte, bool) {
	*p = Policy{}
	if len(src) < 11 || len(src) > MaxPolicyLen || src[10] != '.' || !parseStates(src[5:10], &p.Caps) {
		*p = Policy{}
		return nil, false
	}
	var h [5]int
	for i := range h {
		if h[i] = letterIndex(policyLetters[i], src[i]); h[i] < 0 {
			*p = Policy{}
			return nil, false
		}
	}
	p.Basis, p.Authority, p.Default, p.GPCScope, p.HonorDNT = Basis(h[0]), Source(h[1]), Profile(h[2]), GPCScope(h[3]), h[4] == 1
	rest := src[11:]
	for _, n := range [3]*uint32{&p.Revision, &p.WaitMillis, &p.ValidityDays} {
		var f []byte
		f, rest = cut(rest, '.')
		v, ok := ParseDec(f, 1<<32-1)
		if !ok || rest == nil {
			*p = Policy{}
			return nil, false
		}
		*n = uint32(v)
	}
	return rest, true
}

// AppendProfileLetter appends prof's letter ('s', 'i', 'g', 'o' or 'x'), as in
// the policy encoding; GET /c sends it as its third line.
func AppendProfileLetter(dst []byte, prof Profile) []byte {
	return buf.Bytes(dst, letter(profileLetters, int(prof)))
}

// ParseProfileLetter reads AppendProfileLetter's encoding: exactly one profile letter.
func ParseProfileLetter(src []byte) (Profile, bool) {
	if len(src) != 1 {
		return 0, false
	}
	i := letterIndex(profileLetters, src[0])
	return Profile(i), i >= 0
}

func parseRules(src []byte) ([]RegionRule, bool) {
	var rules []RegionRule
	for rest := src; len(src) > 0 && rest != nil; {
		var r []byte
		r, rest = cut(rest, ',')
		n := len(r) - 2
		if n < 2 || r[n] != '=' || len(rules) == MaxRules || !(Equal(r[:n], "EEA") || validRegion(r[:n])) {
			return nil, false
		}
		prof := letterIndex(profileLetters, r[n+1])
		if prof < 0 {
			return nil, false
		}
		rules = append(rules, RegionRule{Match: string(r[:n]), Profile: Profile(prof)})
	}
	return rules, true
}

// AppendHash appends the policy's hash: 16 lower-case hex digits of the
// 64-bit FNV-1a hash of AppendPolicy's encoding. It travels with each batch
// so the collector knows which policy the page decided with.
func (p *Policy) AppendHash(dst []byte) []byte {
	return AppendPolicyHash(dst, AppendPolicy(make([]byte, 0, 128), p))
}

// AppendPolicyHash appends the hash of an encoded policy. Since the
// encoding is canonical, for bytes ParsePolicy accepted it equals the
// parsed policy's AppendHash; the page uses it to avoid re-encoding.
func AppendPolicyHash(dst, encoded []byte) []byte {
	h := uint64(14695981039346656037)
	for _, c := range encoded {
		h = (h ^ uint64(c)) * 1099511628211
	}
	for i := 60; i >= 0; i -= 4 {
		dst = buf.Bytes(dst, "0123456789abcdef"[h>>i&15])
	}
	return dst
}
