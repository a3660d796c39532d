// Package gpp decodes IAB Global Privacy Platform strings (consent.md §4.2):
// the header, the list of sections, each section's raw text, the US National
// section (ID 7, versions 1 and 2, with its optional GPC sub-section) and
// the legacy US Privacy section (ID 6). The EU TCF v2 section (ID 2) is
// exposed as its raw TC string for package tcf; other sections are kept raw.
//
// Booleans decode as 1 = true (the specification's table says otherwise, but
// every implementation and vector uses 1 = true; §4.2.1).
package gpp

import (
	"strings"

	"github.com/crumbless/crumbless/consent/internal/bitstr"
)

// MaxLen is the longest GPP string Decode accepts, in bytes.
const MaxLen = 16 << 10

// maxSectionID bounds section IDs (27 are assigned today).
const maxSectionID = 1 << 12

// Section IDs this package knows.
const (
	SectionTCFEUv2 = 2
	SectionUSPv1   = 6
	SectionUSNat   = 7
)

// Reasons: short, stable, machine-readable (for a collector counter).
const (
	ReasonTooLong      = "too_long"
	ReasonEmpty        = "empty"
	ReasonBase64       = "bad_base64"
	ReasonTruncated    = "truncated"
	ReasonType         = "bad_type"
	ReasonVersion      = "bad_version"
	ReasonFibonacci    = "bad_fibonacci"
	ReasonSectionID    = "bad_section_id"
	ReasonSectionCount = "section_count_mismatch"
	ReasonUSNat        = "bad_usnat"
	ReasonUSNatVersion = "bad_usnat_version"
	ReasonUSPv1        = "bad_uspv1"
)

// Error is the error type of Decode. Every GPP error is a decode error: the
// string is treated as absent.
type Error struct {
	// Reason is one of the Reason constants.
	Reason string
	// Detail is a short human-readable explanation.
	Detail string
}

func (e *Error) Error() string { return "gpp: " + e.Reason + ": " + e.Detail }

func fail(reason, detail string) *Error { return &Error{Reason: reason, Detail: detail} }

// Section is one section of a GPP string, in the header's order.
type Section struct {
	ID  int
	Raw string
}

// String is a decoded GPP string.
type String struct {
	// Version is the header's version (1).
	Version uint8
	// Sections lists the sections in order, each with its raw text.
	Sections []Section
	// TCFEUv2 is section 2's raw TC string ("" if absent), for tcf.Decode.
	TCFEUv2 string
	// USNat is section 7, decoded, or nil.
	USNat *USNat
	// USPv1 is section 6, decoded, or nil.
	USPv1 *USPv1
}

// Has reports whether the string contains section id.
func (g *String) Has(id int) bool {
	for _, s := range g.Sections {
		if s.ID == id {
			return true
		}
	}
	return false
}

// USOptOut reports a US opt-out: a usnat SaleOptOut, SharingOptOut or
// TargetedAdvertisingOptOut of 1 (opted out), a usnat GPC sub-section set to
// true, or a US Privacy string whose opt-out-of-sale is 'Y'.
func (g *String) USOptOut() bool {
	if n := g.USNat; n != nil {
		if n.SaleOptOut == OptedOut || n.SharingOptOut == OptedOut ||
			n.TargetedAdvertisingOptOut == OptedOut || n.GPC {
			return true
		}
	}
	return g.USPv1 != nil && g.USPv1.OptOutSale == 'Y'
}

// Decode parses a GPP string. The error, if any, is an *Error.
func Decode(s string) (*String, error) {
	if len(s) > MaxLen {
		return nil, fail(ReasonTooLong, "input longer than 16 KiB")
	}
	if s == "" {
		return nil, fail(ReasonEmpty, "empty string")
	}
	header, rest, more := strings.Cut(s, "~")
	nsec := 0
	if more {
		nsec = strings.Count(rest, "~") + 1
	}
	var hb [256]byte // decode the header without allocating
	if len(header) > len(hb)*8/6 {
		return nil, fail(ReasonTooLong, "header longer than 341 characters")
	}
	buf, n, ok := bitstr.Decode(hb[:0], header)
	if !ok {
		return nil, fail(ReasonBase64, "header: character outside the base64url alphabet")
	}
	r := bitstr.NewReader(buf, n)
	typ := r.Uint(6)
	ver := r.Uint(6)
	count := int(r.Uint(12))
	if r.Short() {
		return nil, fail(ReasonTruncated, "header")
	}
	if typ != 3 {
		return nil, fail(ReasonType, "header type is not 3")
	}
	if ver != 1 {
		return nil, fail(ReasonVersion, "header version is not 1")
	}
	g := &String{Version: uint8(ver)}
	if nsec > 0 {
		g.Sections = make([]Section, 0, nsec)
	}
	// Range(Fibonacci): count items, each a single ID or a group, as offsets
	// from the previous ID. IDs strictly increase, so none repeat.
	last := 0
	for i := 0; i < count; i++ {
		group := r.Bit()
		off, ok := r.Fib()
		if !ok {
			return nil, fail(ReasonFibonacci, "section ID offset")
		}
		start, end := last+off, last+off
		if group {
			ln, ok := r.Fib()
			if !ok {
				return nil, fail(ReasonFibonacci, "section group length")
			}
			end = start + ln
		}
		if end > maxSectionID {
			return nil, fail(ReasonSectionID, "section ID too large")
		}
		if len(g.Sections)+end-start+1 > nsec {
			return nil, fail(ReasonSectionCount, "more section IDs than sections")
		}
		for id := start; id <= end; id++ {
			g.Sections = append(g.Sections, Section{ID: id})
		}
		last = end
	}
	if len(g.Sections) != nsec {
		return nil, fail(ReasonSectionCount, "fewer section IDs than sections")
	}
	for i := range g.Sections {
		raw := rest
		if j := strings.IndexByte(rest, '~'); j >= 0 {
			raw, rest = rest[:j], rest[j+1:]
		}
		g.Sections[i].Raw = raw
		switch g.Sections[i].ID {
		case SectionTCFEUv2:
			g.TCFEUv2 = raw
		case SectionUSPv1:
			u, err := DecodeUSPv1(raw)
			if err != nil {
				return nil, err
			}
			g.USPv1 = u
		case SectionUSNat:
			u, err := DecodeUSNat(raw)
			if err != nil {
				return nil, err
			}
			g.USNat = u
		}
	}
	return g, nil
}
