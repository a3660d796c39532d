package record

import (
	"bytes"

	"github.com/crumbless/crumbless/consent"
)

var stateNames = [...]string{consent.Unset: "unset", consent.Denied: "denied", consent.Granted: "granted"}

// appendPurposes writes each purpose's state and the legal basis the
// site relies on for it under this choice (27560 "purpose" and "lawful
// basis"): consent when granted; for an unset purpose, the exemption,
// the UK statistical exception or the opt-out model where the policy and
// the region allow one; none when denied or without a basis.
func appendPurposes(dst []byte, in *Input) []byte {
	dst = append(dst, `,"purposes":[`...)
	for p := consent.Necessary; p < consent.NumPurposes; p++ {
		if p > 0 {
			dst = append(dst, ',')
		}
		state := consent.Unset
		if in.ChoiceOK {
			state = in.Choice.States[p]
		}
		dst = append(dst, `{"purpose":"`...)
		dst = append(dst, p.String()...)
		dst = append(dst, `","state":"`...)
		dst = append(dst, stateNames[state]...)
		dst = append(dst, `","basis":"`...)
		dst = append(dst, basisOf(p, state, in)...)
		dst = append(dst, `"}`...)
	}
	return append(dst, ']')
}

func basisOf(p consent.Purpose, s consent.State, in *Input) string {
	switch {
	case p == consent.Necessary:
		return "strictly-necessary"
	case s == consent.Granted:
		return "consent"
	case s == consent.Denied:
		return "none"
	case p == consent.Measurement && in.Policy.Basis == consent.BasisExempt:
		return "exempt"
	case in.Profile == consent.ProfileOptOut:
		return "opt-out-model"
	case in.Profile == consent.ProfileGBStatistical && p <= consent.Analytics:
		return "statistical-exception"
	}
	return "none"
}

// sourceOf returns the consent source a method belongs to:
// "banner-accept-all" → banner; tcf, gpp, gcm, api, gpc, dnt as is;
// anything else "other".
func sourceOf(method []byte) string {
	head, _, _ := bytes.Cut(method, []byte("-"))
	switch string(head) {
	case "banner", "api", "tcf", "gpp", "gcm", "gpc", "dnt", "expiry", "revision":
		return string(head)
	}
	return "other"
}
