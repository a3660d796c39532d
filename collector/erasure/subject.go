package erasure

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Kinds of id a Subject names.
const (
	// KindVisitor is a daily visitor key, the rows' visitor_id.
	KindVisitor = "visitor"
	// KindUID is the stable first-party id of T3 rows, the rows' uid.
	KindUID = "uid"
)

// maxUIDBytes is the longest uid a row carries (row/SCHEMA.md).
const maxUIDBytes = 64

// Subject is whose rows an erasure removes.
type Subject struct {
	// Kind is KindVisitor or KindUID.
	Kind string
	// ID is the visitor_id (16 hex digits) or the uid.
	ID string
	// Around, when set, limits the erasure to the partitions dated the
	// day before, the day of and the day after it (UTC): a visitor_id
	// lives one day, and a visit going on over midnight keeps it for a
	// few hours more. Zero reads every partition.
	Around time.Time
}

// dateOK reports whether a partition named date=DATE is one s reads.
func (s Subject) dateOK(name string) bool {
	if s.Around.IsZero() {
		return true
	}
	day := s.Around.UTC()
	for _, d := range []time.Time{day.AddDate(0, 0, -1), day, day.AddDate(0, 0, 1)} {
		if name == "date="+d.Format("2006-01-02") {
			return true
		}
	}
	return false
}

// Validate says what is wrong with s, in the words of the command's flags.
func (s Subject) Validate() error {
	switch s.Kind {
	case KindVisitor:
		if _, err := hex.DecodeString(s.ID); err != nil || len(s.ID) != 16 {
			return fmt.Errorf("visitor id %q is not a visitor_id: 16 hex digits, as in the rows", s.ID)
		}
	case KindUID:
		if s.ID == "" || len(s.ID) > maxUIDBytes {
			return fmt.Errorf("uid must be 1 to %d bytes, as in the rows", maxUIDBytes)
		}
	default:
		return errors.New(`say whose rows to erase: a visitor id or a uid`)
	}
	return nil
}

// field is the row field that holds s's id.
func (s Subject) field() string {
	if s.Kind == KindUID {
		return "uid"
	}
	return "visitor_id"
}

// Hash is the hex SHA-256 of the kind and the id, as erasure records hold
// it: it shows an id was erased to whoever knows the id, without naming it.
func (s Subject) Hash() string {
	sum := sha256.Sum256([]byte("crumbless-erasure/1\x00" + s.Kind + "\x00" + s.ID))
	return hex.EncodeToString(sum[:])
}
