package consent

// Decision is what may be collected from one visitor at one moment.
type Decision struct {
	// Tier bounds what every event may carry.
	Tier Tier
	// Interaction allows per-session interaction streams.
	Interaction bool
	// Marketing allows click ids and forwarding for third parties' own use.
	Marketing bool
	// Profile is the region profile the decision was made under.
	Profile Profile
	// Reasons names every input that lowered the outcome.
	Reasons Reasons
}

// Reasons is a set of reason codes, one bit each. See reasons.go for the
// codes and their names.
type Reasons uint64

// Has reports whether r contains every code in c.
func (r Reasons) Has(c Reasons) bool { return r&c == c }
