// Package record writes consent records: one per consent event a page
// sends (a choice shown, given, refused, changed or withdrawn, or an
// automatic signal), never one per analytics event. Records go to
//
//	DATA/consent/site=SITE/date=YYYY-MM-DD/part-<yyyymmddThhmmss>-<node>-<seq>.ndjson.zst
//
// one JSON object a line, with fields mapped to ISO/IEC TS 27560 (see
// SCHEMA.md beside this file). They hold no IP address, no User-Agent and no
// URL; the subject is the page's stable id (tier T3) or nothing.
//
// Each site's records form one hash chain: a record's prev_hash is the
// previous record's hash, and its hash is SHA-256 over prev_hash and the
// record's canonical bytes (the line without its hash field). The chain
// runs across files, days and restarts: at start-up the Writer reads the
// last hash of each site's newest complete file and goes on from it. Verify
// walks the files in order and reports the first broken link.
//
// It must not import collector; it imports collector/sink and
// collector/sink/filesink.
package record

import (
	"github.com/crumbless/crumbless/consent"
)

// SchemaVersion is written in every record as "schema".
const SchemaVersion = "crumbless.consent-record/1"

// Subdir is the directory below the data directory records go to.
const Subdir = "consent"

// Genesis is the prev_hash of a site's first record: 64 zeros.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Input is one consent event, with what the collector knows about it.
// Slices are only read during Writer.Write.
type Input struct {
	// EventID is the page's event id (the same on retries).
	EventID []byte
	// Region and Profile are the jurisdiction, resolved at the edge.
	Region  consent.Region
	Profile consent.Profile
	// Policy is the site policy in force, and PolicyHash its hash.
	Policy     *consent.Policy
	PolicyHash []byte
	// Method is how the choice was made: banner-accept-all, banner-reject-all,
	// banner-custom, api, tcf, gpp, gcm, gpc, dnt, expiry, revision.
	Method []byte
	// Choice is the new per-purpose state; ChoiceOK is false when the page
	// sent states the collector could not read.
	Choice   consent.Choice
	ChoiceOK bool
	// Evidence is the raw TC or GPP string (personal data: it is kept only
	// in the record), and EvidenceCheck what checking it found: "valid",
	// "invalid: <reason>", "unchecked" or "" when there is none.
	Evidence      []byte
	EvidenceCheck string
	// ClientTime is when the page says the choice was made (ms since the
	// epoch, corrected for the page's clock); 0 when unknown.
	ClientTime int64
	// Subject is the page's stable id at tier T3, else nil.
	Subject []byte
}
