// Package tcf decodes and validates IAB TCF v2 (2.0–2.3) TC strings.
//
// It follows "Consent string and vendor list formats v2" as summarised in
// consent.md §4.1: a core segment and the optional DisclosedVendors,
// AllowedVendors and PublisherTC segments, each base64url-encoded and joined
// by '.'. Decode checks syntax only; Validate checks policy and staleness, so
// a collector can count each kind of failure separately (§4.1.5).
//
// Bits left after a segment's last field (base64 padding) are ignored.
// Every size is bounded by the input, which is capped at MaxLen: the largest
// allocation is a vendor bitset of MaxVendorId ≤ 65535 bits (8 KiB) per
// vendor section.
package tcf

import (
	"github.com/crumbless/crumbless/consent/internal/bitstr"

	"math/bits"
	"strings"
)

// MaxLen is the longest TC string Decode accepts, in bytes.
const MaxLen = 16 << 10

// DisclosedVendorsRequiredFrom is the LastUpdated time, in ms since the
// epoch, from which Validate requires the DisclosedVendors segment: 1 March
// 2026 00:00 UTC, the first day after TCF v2.3's transition deadline
// (28 February 2026). The string itself does not say whether a CMP speaks
// 2.2 or 2.3 (both use TcfPolicyVersion 4), so the segment is required only
// of strings last updated after every CMP had to be on 2.3; older 2.2 strings
// stay valid until they go stale.
const DisclosedVendorsRequiredFrom int64 = 1772323200000

// futureSkew is how far in the future LastUpdated may be before Validate
// rejects it (timestamps are day-level, so a day plus time zones).
const futureSkew = 2 * 24 * 60 * 60 * 1000

// Segment types.
const (
	segCore             = 0
	segDisclosedVendors = 1
	segAllowedVendors   = 2
	segPublisherTC      = 3
)

// RestrictionType is a publisher restriction's type.
type RestrictionType uint8

const (
	// RestrictNotAllowed: the purpose is flatly not allowed for the vendors.
	RestrictNotAllowed RestrictionType = 0
	// RestrictRequireConsent: the vendors must use consent for the purpose.
	RestrictRequireConsent RestrictionType = 1
	// RestrictRequireLI: the vendors must use legitimate interest.
	RestrictRequireLI RestrictionType = 2
	// RestrictUndefined is reserved by the specification.
	RestrictUndefined RestrictionType = 3
)

// VendorRange is an inclusive range of vendor IDs.
type VendorRange struct{ Start, End uint16 }

// PubRestriction is one publisher restriction entry of the core segment.
type PubRestriction struct {
	PurposeID uint8
	Type      RestrictionType
	Vendors   []VendorRange
}

// PublisherTC is the Publisher TC segment (type 3). Bitmasks use the same
// convention as the core segment: bit i is purpose i+1.
type PublisherTC struct {
	PubPurposesConsent        uint32
	PubPurposesLITransparency uint32
	// NumCustomPurposes is 0–63; custom purpose i+1 is bit i.
	NumCustomPurposes            uint8
	CustomPurposesConsent        uint64
	CustomPurposesLITransparency uint64
}

// TCString is a decoded TC string.
type TCString struct {
	Version uint8
	// Created and LastUpdated are in milliseconds since the Unix epoch
	// (the string stores deciseconds).
	Created, LastUpdated int64
	CmpID                uint16
	CmpVersion           uint16
	ConsentScreen        uint8
	// ConsentLanguage and PublisherCC are two upper-case letters.
	ConsentLanguage     string
	VendorListVersion   uint16
	TcfPolicyVersion    uint8
	IsServiceSpecific   bool
	UseNonStandardTexts bool
	// SpecialFeatureOptIns: bit i is special feature i+1 (12 bits).
	SpecialFeatureOptIns uint32
	// PurposesConsent and PurposesLITransparency: bit i is purpose i+1
	// (24 bits).
	PurposesConsent        uint32
	PurposesLITransparency uint32
	PurposeOneTreatment    bool
	PublisherCC            string

	VendorConsents            VendorSet
	VendorLegitimateInterests VendorSet
	PubRestrictions           []PubRestriction

	// DisclosedVendors and AllowedVendors are the optional segments of
	// types 1 and 2; check Present.
	DisclosedVendors VendorSet
	AllowedVendors   VendorSet
	// Publisher is the Publisher TC segment, or nil.
	Publisher *PublisherTC
}

// VendorSet is a set of vendor IDs 1..Max, stored as a bitset.
type VendorSet struct {
	present bool
	max     uint16
	words   []uint64
}

// Present reports whether the section or segment was in the string.
func (v *VendorSet) Present() bool { return v.present }

// Max is the section's MaxVendorId.
func (v *VendorSet) Max() int { return int(v.max) }

// Has reports whether vendor id is in the set.
func (v *VendorSet) Has(id int) bool {
	if id <= 0 || id > int(v.max) {
		return false
	}
	return v.words[id>>6]&(1<<(uint(id)&63)) != 0
}

// Len is the number of vendors in the set.
func (v *VendorSet) Len() int {
	n := 0
	for _, w := range v.words {
		n += bits.OnesCount64(w)
	}
	return n
}

func (v *VendorSet) init(max uint16) {
	v.present = true
	v.max = max
	v.words = make([]uint64, int(max)>>6+1)
}

func (v *VendorSet) setRange(a, b uint16) {
	for id := int(a); id <= int(b); id++ {
		v.words[id>>6] |= 1 << (uint(id) & 63)
	}
}

// Decode parses a TC string. The error, if any, is an *Error with Level
// LevelDecode.
func Decode(s string) (*TCString, error) {
	if len(s) > MaxLen {
		return nil, decodeErr(ReasonTooLong, "input longer than 16 KiB")
	}
	if s == "" {
		return nil, decodeErr(ReasonEmpty, "empty string")
	}
	// One buffer for every segment's bytes: 6 bits per character.
	buf := make([]byte, 0, len(s)*6/8+4)
	tc := &TCString{}
	first := true
	for rest := s; ; {
		seg := rest
		i := strings.IndexByte(rest, '.')
		if i >= 0 {
			seg, rest = rest[:i], rest[i+1:]
		}
		if seg == "" && !first {
			// Tolerate an empty segment after the core (a trailing '.').
			if i < 0 {
				break
			}
			continue
		}
		start := len(buf)
		var n int
		var ok bool
		buf, n, ok = bitstr.Decode(buf, seg)
		if !ok {
			return nil, decodeErr(ReasonBase64, "character outside the base64url alphabet")
		}
		r := bitstr.NewReader(buf[start:], n)
		if first {
			if err := tc.decodeCore(r); err != nil {
				return nil, err
			}
			first = false
		} else if err := tc.decodeSegment(r); err != nil {
			return nil, err
		}
		if i < 0 {
			break
		}
	}
	return tc, nil
}

func (tc *TCString) decodeCore(r *bitstr.Reader) *Error {
	tc.Version = uint8(r.Uint(6))
	if r.Short() {
		return decodeErr(ReasonTruncated, "core segment: version")
	}
	if tc.Version != 2 {
		if tc.Version == 1 {
			return decodeErr(ReasonVersion, "TCF v1 string (invalid since 2020)")
		}
		return decodeErr(ReasonVersion, "version is not 2")
	}
	tc.Created = int64(r.Uint(36)) * 100
	tc.LastUpdated = int64(r.Uint(36)) * 100
	tc.CmpID = uint16(r.Uint(12))
	tc.CmpVersion = uint16(r.Uint(12))
	tc.ConsentScreen = uint8(r.Uint(6))
	lang, okLang := letters(r.Uint(12))
	tc.VendorListVersion = uint16(r.Uint(12))
	tc.TcfPolicyVersion = uint8(r.Uint(6))
	tc.IsServiceSpecific = r.Bit()
	tc.UseNonStandardTexts = r.Bit()
	tc.SpecialFeatureOptIns = bits.Reverse32(uint32(r.Uint(12)) << 20)
	tc.PurposesConsent = bits.Reverse32(uint32(r.Uint(24)) << 8)
	tc.PurposesLITransparency = bits.Reverse32(uint32(r.Uint(24)) << 8)
	tc.PurposeOneTreatment = r.Bit()
	cc, okCC := letters(r.Uint(12))
	if r.Short() {
		return decodeErr(ReasonTruncated, "core segment: header fields")
	}
	if !okLang || !okCC {
		return decodeErr(ReasonLetters, "ConsentLanguage or PublisherCC letter out of range")
	}
	tc.ConsentLanguage, tc.PublisherCC = lang, cc
	if err := decodeVendors(r, &tc.VendorConsents, "vendor consents"); err != nil {
		return err
	}
	if err := decodeVendors(r, &tc.VendorLegitimateInterests, "vendor legitimate interests"); err != nil {
		return err
	}
	return tc.decodeRestrictions(r)
}

func (tc *TCString) decodeRestrictions(r *bitstr.Reader) *Error {
	num := int(r.Uint(12))
	if r.Short() {
		return decodeErr(ReasonTruncated, "core segment: NumPubRestrictions")
	}
	if num == 0 {
		return nil
	}
	// Each restriction takes at least 20 bits: bound the allocation by the
	// input before trusting the count.
	if num*20 > r.Left() {
		return decodeErr(ReasonTruncated, "core segment: publisher restrictions")
	}
	tc.PubRestrictions = make([]PubRestriction, 0, num)
	for k := 0; k < num; k++ {
		pr := PubRestriction{PurposeID: uint8(r.Uint(6)), Type: RestrictionType(r.Uint(2))}
		entries := int(r.Uint(12))
		if r.Short() {
			return decodeErr(ReasonTruncated, "publisher restriction header")
		}
		if entries*17 > r.Left() {
			return decodeErr(ReasonTruncated, "publisher restriction entries")
		}
		if entries > 0 {
			pr.Vendors = make([]VendorRange, 0, entries)
		}
		for e := 0; e < entries; e++ {
			vr, err := readRange(r, 0xffff, "publisher restriction")
			if err != nil {
				return err
			}
			pr.Vendors = append(pr.Vendors, vr)
		}
		tc.PubRestrictions = append(tc.PubRestrictions, pr)
	}
	return nil
}

func (tc *TCString) decodeSegment(r *bitstr.Reader) *Error {
	t := r.Uint(3)
	if r.Short() {
		return decodeErr(ReasonTruncated, "segment type")
	}
	switch t {
	case segDisclosedVendors:
		if tc.DisclosedVendors.present {
			return decodeErr(ReasonDuplicateSegment, "DisclosedVendors segment repeated")
		}
		return decodeVendors(r, &tc.DisclosedVendors, "disclosed vendors")
	case segAllowedVendors:
		if tc.AllowedVendors.present {
			return decodeErr(ReasonDuplicateSegment, "AllowedVendors segment repeated")
		}
		return decodeVendors(r, &tc.AllowedVendors, "allowed vendors")
	case segPublisherTC:
		if tc.Publisher != nil {
			return decodeErr(ReasonDuplicateSegment, "PublisherTC segment repeated")
		}
		p := &PublisherTC{}
		p.PubPurposesConsent = bits.Reverse32(uint32(r.Uint(24)) << 8)
		p.PubPurposesLITransparency = bits.Reverse32(uint32(r.Uint(24)) << 8)
		n := uint(r.Uint(6))
		p.NumCustomPurposes = uint8(n)
		if n > 0 {
			p.CustomPurposesConsent = bits.Reverse64(r.Uint(int(n)) << (64 - n))
			p.CustomPurposesLITransparency = bits.Reverse64(r.Uint(int(n)) << (64 - n))
		}
		if r.Short() {
			return decodeErr(ReasonTruncated, "PublisherTC segment")
		}
		tc.Publisher = p
		return nil
	case segCore:
		return decodeErr(ReasonSegmentType, "second core segment")
	default:
		return decodeErr(ReasonSegmentType, "unknown segment type")
	}
}

// decodeVendors reads MaxVendorId, IsRangeEncoding and a bitfield or range
// section into v.
func decodeVendors(r *bitstr.Reader, v *VendorSet, what string) *Error {
	max := uint16(r.Uint(16))
	isRange := r.Bit()
	if r.Short() {
		return decodeErr(ReasonTruncated, what+": header")
	}
	if !isRange {
		if int(max) > r.Left() {
			return decodeErr(ReasonTruncated, what+": bitfield")
		}
		v.init(max)
		for id := 1; id <= int(max); id++ {
			if r.Bit() {
				v.words[id>>6] |= 1 << (uint(id) & 63)
			}
		}
		return nil
	}
	entries := int(r.Uint(12))
	if r.Short() {
		return decodeErr(ReasonTruncated, what+": NumEntries")
	}
	if entries*17 > r.Left() {
		return decodeErr(ReasonTruncated, what+": range entries")
	}
	v.init(max)
	for e := 0; e < entries; e++ {
		vr, err := readRange(r, max, what)
		if err != nil {
			return err
		}
		v.setRange(vr.Start, vr.End)
	}
	return nil
}

func readRange(r *bitstr.Reader, max uint16, what string) (VendorRange, *Error) {
	isARange := r.Bit()
	vr := VendorRange{Start: uint16(r.Uint(16))}
	vr.End = vr.Start
	if isARange {
		vr.End = uint16(r.Uint(16))
	}
	if r.Short() {
		return vr, decodeErr(ReasonTruncated, what+": range entry")
	}
	if vr.Start == 0 || vr.End > max {
		return vr, decodeErr(ReasonVendorID, what+": vendor id 0 or above MaxVendorId")
	}
	if vr.Start > vr.End {
		return vr, decodeErr(ReasonRange, what+": range start after end")
	}
	return vr, nil
}

// letters decodes two 6-bit letters (a=0 … z=25) as upper case.
func letters(v uint64) (string, bool) {
	a, b := byte(v>>6), byte(v&63)
	if a > 25 || b > 25 {
		return "", false
	}
	return pairs[int(a)*26+int(b)], true
}

// pairs holds every two-letter code so that decoding does not allocate.
var pairs = func() (p [26 * 26]string) {
	var all [26 * 26 * 2]byte
	for i := 0; i < 26*26; i++ {
		all[2*i], all[2*i+1] = 'A'+byte(i/26), 'A'+byte(i%26)
	}
	s := string(all[:])
	for i := range p {
		p[i] = s[2*i : 2*i+2]
	}
	return p
}()

// Validate checks a decoded string against TCF policy and staleness.
//
// now is the current time in ms since the epoch; validityDays is the site's
// consentValidityDays (≤ 0 disables the staleness check). It returns nil, an
// *Error with LevelPolicy, or an *Error with LevelStale. Policy rules:
//
//   - TcfPolicyVersion < 4 (invalid since 30 Sep 2023);
//   - legitimate-interest bits for purposes 3–6 set (forbidden from policy 4,
//     in the core and in the Publisher TC segment);
//   - IsServiceSpecific = 0 (global scope deprecated since 2021);
//   - no DisclosedVendors segment when LastUpdated ≥
//     DisclosedVendorsRequiredFrom (TCF v2.3);
//   - LastUpdated more than two days in the future (it would never go stale).
func (tc *TCString) Validate(now int64, validityDays int) error {
	const liForbidden = 0b111100 // purposes 3..6 → bits 2..5
	switch {
	case tc.TcfPolicyVersion < 4:
		return policyErr(ReasonPolicyVersion, "TcfPolicyVersion below 4")
	case tc.PurposesLITransparency&liForbidden != 0:
		return policyErr(ReasonLIForbidden, "legitimate interest set for a purpose in 3–6")
	case tc.Publisher != nil && tc.Publisher.PubPurposesLITransparency&liForbidden != 0:
		return policyErr(ReasonLIForbidden, "publisher legitimate interest set for a purpose in 3–6")
	case !tc.IsServiceSpecific:
		return policyErr(ReasonNotServiceSpecific, "IsServiceSpecific is 0")
	case !tc.DisclosedVendors.present && tc.LastUpdated >= DisclosedVendorsRequiredFrom:
		return policyErr(ReasonNoDisclosedVendors, "DisclosedVendors segment missing (TCF v2.3)")
	case tc.LastUpdated > now+futureSkew:
		return policyErr(ReasonFuture, "LastUpdated in the future")
	}
	if validityDays > 0 && now-tc.LastUpdated > int64(validityDays)*24*60*60*1000 {
		return &Error{Level: LevelStale, Reason: ReasonStale, Detail: "LastUpdated older than the consent validity"}
	}
	return nil
}
