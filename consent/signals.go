package consent

// Signals are the inputs a decision is made from, other than the site's
// policy and the region. The page gathers them; they travel with each batch
// (AppendSignals, ParseSignals) so that the collector decides again.
type Signals struct {
	// GPC is Global Privacy Control: Sec-GPC: 1 or navigator.globalPrivacyControl.
	GPC bool
	// DNT is Do Not Track: DNT: 1 or navigator.doNotTrack == "1".
	DNT bool
	// OptOut is the visitor's use of the site's own opt-out.
	OptOut bool
	// USOptOut is a GPP US section's sale, sharing or targeted-advertising
	// opt-out, or its GPC subsection.
	USOptOut bool
	// NoStorage: the page may not or cannot keep anything on the device
	// (storage unavailable, or TCF purpose 1 refused: TCFChoice's
	// ReasonStorageDenied), so no T3.
	NoStorage bool
	// Choices holds each source's latest choice, indexed by Source. Only
	// the policy's authoritative source can grant; every source can deny.
	Choices [NumSources]Choice
	// Invalid has bit 1<<Source set for a source whose input failed
	// validation (a TC string that is not decodable or is policy-invalid):
	// its grants count as unset and the decision says why
	// (ReasonInvalid<Source>). Leave its Choice zero; a Denied in it would
	// still restrict, since trusting a denial is always safe.
	Invalid uint8
}
