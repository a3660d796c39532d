package gpp

import (
	"strings"

	"github.com/crumbless/crumbless/consent/internal/bitstr"
)

// Values of the usnat notice fields.
const (
	NoticeNA          = 0
	NoticeProvided    = 1
	NoticeNotProvided = 2
)

// Values of the usnat opt-out fields.
const (
	OptOutNA    = 0
	OptedOut    = 1
	NotOptedOut = 2
)

// Values of the usnat consent fields (SensitiveDataProcessing,
// KnownChildSensitiveDataConsents, PersonalDataConsents).
const (
	ConsentNA = 0
	NoConsent = 1
	Consent   = 2
)

// USNat is the MSPA US National section (ID 7), versions 1 and 2. Every
// field is a 2-bit value; see the constants above.
type USNat struct {
	Version                             uint8
	SharingNotice                       uint8
	SaleOptOutNotice                    uint8
	SharingOptOutNotice                 uint8
	TargetedAdvertisingOptOutNotice     uint8
	SensitiveDataProcessingOptOutNotice uint8
	SensitiveDataLimitUseNotice         uint8
	SaleOptOut                          uint8
	SharingOptOut                       uint8
	TargetedAdvertisingOptOut           uint8
	// SensitiveDataProcessing has 12 entries in version 1 and 16 in
	// version 2 (NumSensitiveDataProcessing); the rest are 0.
	SensitiveDataProcessing    [16]uint8
	NumSensitiveDataProcessing uint8
	// KnownChildSensitiveDataConsents has 2 entries in version 1 and 3 in
	// version 2 (NumKnownChildSensitiveDataConsents).
	KnownChildSensitiveDataConsents    [3]uint8
	NumKnownChildSensitiveDataConsents uint8
	PersonalDataConsents               uint8
	MspaCoveredTransaction             uint8
	MspaOptOutOptionMode               uint8
	MspaServiceProviderMode            uint8
	// GPCSegmentIncluded reports a GPC sub-section; GPC is its value.
	GPCSegmentIncluded bool
	GPC                bool
}

// maxUSNatSegment bounds a usnat sub-section's text; the core is 12
// characters and the GPC sub-section 2.
const maxUSNatSegment = 64

// DecodeUSNat parses the text of a usnat section: the core segment and
// optional sub-sections separated by '.'. A GPC sub-section (type 1) sets
// GPC; sub-sections of other types are ignored.
func DecodeUSNat(s string) (*USNat, error) {
	core, rest, hasSub := strings.Cut(s, ".")
	var b [maxUSNatSegment]byte
	if len(core) > maxUSNatSegment {
		return nil, fail(ReasonUSNat, "core segment too long")
	}
	buf, n, ok := bitstr.Decode(b[:0], core)
	if !ok {
		return nil, fail(ReasonBase64, "usnat: character outside the base64url alphabet")
	}
	r := bitstr.NewReader(buf, n)
	u := &USNat{Version: uint8(r.Uint(6))}
	switch u.Version {
	case 1:
		u.NumSensitiveDataProcessing, u.NumKnownChildSensitiveDataConsents = 12, 2
	case 2:
		u.NumSensitiveDataProcessing, u.NumKnownChildSensitiveDataConsents = 16, 3
	default:
		if r.Short() {
			return nil, fail(ReasonTruncated, "usnat: version")
		}
		return nil, fail(ReasonUSNatVersion, "usnat version is not 1 or 2")
	}
	for _, f := range [...]*uint8{
		&u.SharingNotice, &u.SaleOptOutNotice, &u.SharingOptOutNotice,
		&u.TargetedAdvertisingOptOutNotice, &u.SensitiveDataProcessingOptOutNotice,
		&u.SensitiveDataLimitUseNotice, &u.SaleOptOut, &u.SharingOptOut,
		&u.TargetedAdvertisingOptOut,
	} {
		*f = uint8(r.Uint(2))
	}
	for i := 0; i < int(u.NumSensitiveDataProcessing); i++ {
		u.SensitiveDataProcessing[i] = uint8(r.Uint(2))
	}
	for i := 0; i < int(u.NumKnownChildSensitiveDataConsents); i++ {
		u.KnownChildSensitiveDataConsents[i] = uint8(r.Uint(2))
	}
	u.PersonalDataConsents = uint8(r.Uint(2))
	u.MspaCoveredTransaction = uint8(r.Uint(2))
	u.MspaOptOutOptionMode = uint8(r.Uint(2))
	u.MspaServiceProviderMode = uint8(r.Uint(2))
	if r.Short() {
		return nil, fail(ReasonTruncated, "usnat core segment")
	}
	for hasSub {
		var sub string
		sub, rest, hasSub = strings.Cut(rest, ".")
		if len(sub) > maxUSNatSegment {
			return nil, fail(ReasonUSNat, "sub-section too long")
		}
		buf, n, ok := bitstr.Decode(b[:0], sub)
		if !ok {
			return nil, fail(ReasonBase64, "usnat sub-section: character outside the base64url alphabet")
		}
		r := bitstr.NewReader(buf, n)
		typ := r.Uint(2)
		if r.Short() {
			return nil, fail(ReasonTruncated, "usnat sub-section type")
		}
		if typ != 1 {
			continue
		}
		gpc := r.Bit()
		if r.Short() {
			return nil, fail(ReasonTruncated, "usnat GPC sub-section")
		}
		if u.GPCSegmentIncluded {
			return nil, fail(ReasonUSNat, "GPC sub-section repeated")
		}
		u.GPCSegmentIncluded, u.GPC = true, gpc
	}
	return u, nil
}

// USPv1 is the legacy US Privacy string (section 6), such as "1YNN". Each
// field is 'Y', 'N' or '-' (not applicable).
type USPv1 struct {
	Version byte // '1'
	// Notice: explicit notice / opportunity to opt out given.
	Notice byte
	// OptOutSale: the user opted out of sale.
	OptOutSale byte
	// LSPACovered: the publisher is a signatory to the LSPA.
	LSPACovered byte
}

// DecodeUSPv1 parses a US Privacy string such as "1YNN" (lower-case y/n are
// accepted and normalised).
func DecodeUSPv1(s string) (*USPv1, error) {
	if len(s) != 4 || s[0] != '1' {
		return nil, fail(ReasonUSPv1, "not a version 1 US Privacy string")
	}
	u := &USPv1{Version: '1'}
	for i, f := range [...]*byte{&u.Notice, &u.OptOutSale, &u.LSPACovered} {
		c := s[i+1]
		switch c {
		case 'Y', 'N', '-':
		case 'y', 'n':
			c -= 'a' - 'A'
		default:
			return nil, fail(ReasonUSPv1, "field is not Y, N or -")
		}
		*f = c
	}
	return u, nil
}
