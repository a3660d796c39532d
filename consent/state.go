package consent

// State is one purpose's consent state from one source.
type State uint8

const (
	// Unset: the source said nothing about the purpose.
	Unset State = iota
	// Denied: refused, withdrawn or objected to.
	Denied
	// Granted: explicitly given.
	Granted
)

// StateNamed returns Granted for "granted", Denied for "denied", and Unset
// for anything else: the words of Consent Mode and of crumbless('consent').
func StateNamed(word []byte) State {
	switch {
	case Equal(word, "granted"):
		return Granted
	case Equal(word, "denied"):
		return Denied
	}
	return Unset
}

// Choice is one source's state for every purpose, and when it was made.
type Choice struct {
	States [NumPurposes]State
	// At is when the choice was made, in milliseconds since the Unix epoch;
	// 0 when unknown. The most recent explicit choice of the authoritative
	// source wins.
	At int64
}
