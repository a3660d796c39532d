package consent

// Purpose is what data is used for. The set is Crumbless's own, small and
// stable; external signals (TCF purposes, Consent Mode types, GPP opt-outs)
// are mapped onto it.
type Purpose uint8

const (
	// Necessary: abuse defence and storing the visitor's own choice. Never
	// needs consent.
	Necessary Purpose = iota
	// Measurement: anonymous audience statistics (pageviews, daily uniques by
	// an edge-side hash, referrers, aggregated heatmaps).
	Measurement
	// Analytics: a stable first-party visitor id kept on the device.
	Analytics
	// Interaction: per-session interaction streams (mouse trails, click
	// sequences).
	Interaction
	// Marketing: ad click ids, campaign attribution beyond anonymous counts,
	// forwarding to third parties for their own purposes.
	Marketing

	// NumPurposes is the number of purposes.
	NumPurposes
)

var purposeNames = [NumPurposes]string{"necessary", "measurement", "analytics", "interaction", "marketing"}

// String returns the purpose's name as used in configuration and records.
func (p Purpose) String() string {
	if p < NumPurposes {
		return purposeNames[p]
	}
	return ""
}

// ParsePurpose reads a purpose name.
func ParsePurpose(s string) (Purpose, bool) {
	for i, n := range purposeNames {
		if s == n {
			return Purpose(i), true
		}
	}
	return 0, false
}
