package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// appendRecord appends one chained record line (ending in '\n') for in
// and returns it with the record's hash.
func appendRecord(dst []byte, site []byte, id string, at time.Time, prevHash string, in *Input) ([]byte, string) {
	start := len(dst)
	dst = appendBody(dst, site, id, at, in)
	body := dst[start:]
	return appendChained(dst[:start], body, prevHash)
}

// appendBody appends the record line for in without its chain fields: a
// JSON object and '\n'. This is what the spool and the streams (Kafka,
// S3) carry; the consent files add prev_hash and hash (appendChained).
func appendBody(dst []byte, site []byte, id string, at time.Time, in *Input) []byte {
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
	return append(dst, "}\n"...)
}

// errNotABody is returned for a line that does not end in "}".
var errNotABody = errors.New("not a consent record line")

// appendChained appends body, a line of appendBody, with the chain
// fields: prev_hash, then hash over prevHash and the canonical bytes
// (everything before the hash field, closed with "}"). It returns the
// record's hash. body may overlap dst's spare capacity from its own start:
// appendRecord builds the body in place.
func appendChained(dst, body []byte, prevHash string) ([]byte, string) {
	body = bytes.TrimSuffix(body, []byte("\n"))
	start := len(dst)
	dst = append(dst, body[:len(body)-1]...) // without its closing brace
	dst = append(dst, `,"prev_hash":"`...)
	dst = append(append(dst, prevHash...), '"')
	hash := chainHash(prevHash, append(dst[start:len(dst):len(dst)], '}'))
	dst = append(dst, `,"hash":"`...)
	dst = append(dst, hash...)
	return append(dst, "\"}\n"...), hash
}

// checkBody returns errNotABody unless line is a JSON object line.
func checkBody(line []byte) error {
	line = bytes.TrimSuffix(line, []byte("\n"))
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' {
		return errNotABody
	}
	return nil
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
