package record

import (
	"time"

	"github.com/crumbless/crumbless/consent/gpp"
	"github.com/crumbless/crumbless/consent/tcf"
)

// CheckEvidence says what the raw evidence of a consent event is worth:
// "" when there is none; for a TC string (method tcf) or a GPP string
// (method gpp) "valid" or "invalid: <why>", decoded with consent/tcf or
// consent/gpp (a TC string is also checked against TCF policy at now, with
// validityDays); "unchecked" for evidence of any other method. The record
// keeps the raw string either way: it is what the page showed.
func CheckEvidence(method, evidence []byte, now time.Time, validityDays uint32) string {
	if len(evidence) == 0 {
		return ""
	}
	var err error
	switch sourceOf(method) {
	case "tcf":
		var tc *tcf.TCString
		if tc, err = tcf.Decode(string(evidence)); err == nil {
			err = tc.Validate(now.UnixMilli(), int(validityDays))
		}
	case "gpp":
		_, err = gpp.Decode(string(evidence))
	default:
		return "unchecked"
	}
	if err != nil {
		return "invalid: " + err.Error()
	}
	return "valid"
}
