package record

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// appendRecord appends one record line (ending in '\n') for in and returns
// it with the record's hash. canonical is everything before the hash
// field, closed with "}": what the hash covers, with prevHash.
func appendRecord(dst []byte, site []byte, id string, at time.Time, prevHash string, in *Input) ([]byte, string) {
	start := len(dst)
	dst = append(dst, `{"schema":"`+SchemaVersion+`","record_id":"`...)
	dst = append(dst, id...)
	dst = append(dst, `","event_id":`...)
	dst = wire.AppendString(dst, in.EventID)
	dst = append(dst, `,"site":`...)
	dst = wire.AppendString(dst, site)
	dst = appendJurisdiction(dst, in)
	dst = appendPolicy(dst, in)
	dst = append(dst, `,"method":`...)
	dst = wire.AppendString(dst, in.Method)
	dst = append(dst, `,"source":"`...)
	dst = append(append(dst, sourceOf(in.Method)...), '"')
	dst = appendPurposes(dst, in)
	dst = appendEvidence(dst, in)
	dst = appendEvent(dst, at, in.ClientTime)
	dst = appendSubject(dst, in.Subject)
	dst = append(dst, `,"prev_hash":"`...)
	dst = append(append(dst, prevHash...), '"')
	hash := chainHash(prevHash, append(dst[start:len(dst):len(dst)], '}'))
	dst = append(dst, `,"hash":"`...)
	dst = append(dst, hash...)
	return append(dst, "\"}\n"...), hash
}

// chainHash is hex(SHA-256(prevHash || canonical)).
func chainHash(prevHash string, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(prevHash))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

func appendJurisdiction(dst []byte, in *Input) []byte {
	dst = append(dst, `,"jurisdiction":{"region":"`...)
	dst = consent.AppendRegion(dst, in.Region)
	dst = append(dst, `","profile":"`...)
	dst = append(dst, in.Profile.String()...)
	return append(dst, `"}`...)
}

var basisNames = [...]string{consent.BasisExempt: "exempt", consent.BasisConsent: "consent"}

func appendPolicy(dst []byte, in *Input) []byte {
	p := in.Policy
	dst = append(dst, `,"policy":{"revision":`...)
	dst = strconv.AppendUint(dst, uint64(p.Revision), 10)
	dst = append(dst, `,"hash":`...)
	dst = wire.AppendString(dst, in.PolicyHash)
	dst = append(dst, `,"measurement_basis":"`...)
	if int(p.Basis) < len(basisNames) {
		dst = append(dst, basisNames[p.Basis]...)
	}
	dst = append(dst, `","authority":"`...)
	dst = append(dst, authorityName(p.Authority)...)
	dst = append(dst, `","validity_days":`...)
	dst = strconv.AppendUint(dst, uint64(p.ValidityDays), 10)
	return append(dst, '}')
}

func authorityName(s consent.Source) string {
	if s == consent.SourceNone {
		return "none"
	}
	return s.String()
}

// appendEvidence writes the raw string and what checking it found.
func appendEvidence(dst []byte, in *Input) []byte {
	if len(in.Evidence) == 0 {
		return append(dst, `,"evidence":null`...)
	}
	dst = append(dst, `,"evidence":{"raw":`...)
	dst = wire.AppendString(dst, in.Evidence)
	dst = append(dst, `,"check":`...)
	dst = wire.AppendString(dst, []byte(in.EvidenceCheck))
	return append(dst, '}')
}

func appendEvent(dst []byte, at time.Time, client int64) []byte {
	dst = append(dst, `,"event":{"time":"`...)
	dst = at.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	dst = append(dst, `","client_time":`...)
	if client <= 0 {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '"')
		dst = time.UnixMilli(client).UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

func appendSubject(dst []byte, subject []byte) []byte {
	if len(subject) == 0 {
		return append(dst, `,"subject":null`...)
	}
	dst = append(dst, `,"subject":{"kind":"uid","id":`...)
	dst = wire.AppendString(dst, subject)
	return append(dst, '}')
}
