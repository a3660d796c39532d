package consent

// Tier is how much an event may say about the visitor who caused it. Higher
// tiers carry strictly more; every decision can only move an event down.
type Tier uint8

const (
	// T0: nothing is sent.
	T0 Tier = iota
	// T1: counts only; no visitor key of any kind.
	T1
	// T2: a visitor key hashed at the edge with a daily-rotating secret salt;
	// nothing is stored on the device.
	T2
	// T3: a stable first-party identifier stored on the device.
	T3
)

// DefaultTier is the tier the collector assumes while no consent engine
// lowers or raises it: cookieless, with a daily edge-side hash.
const DefaultTier = T2

var tierNames = [...]string{"T0", "T1", "T2", "T3"}

// String returns "T0" to "T3", or "" for a value out of range.
func (t Tier) String() string {
	if int(t) < len(tierNames) {
		return tierNames[t]
	}
	return ""
}

// ParseTier reads "T0" to "T3". ok is false for anything else.
func ParseTier(s string) (t Tier, ok bool) {
	for i, n := range tierNames {
		if s == n {
			return Tier(i), true
		}
	}
	return 0, false
}

// AllowsVisitorKey reports whether events at this tier may carry a visitor_id.
func (t Tier) AllowsVisitorKey() bool { return t >= T2 }
