package mouse

// Kind is a kind of frustration signal.
type Kind uint8

// The frustration signals.
const (
	RageClick       Kind = 1 + iota // clicks in anger at one spot
	DeadClick                       // a click that nothing answered
	QuickBack                       // a page left and returned to quickly
	ErrorClick                      // a click followed by a JavaScript error
	ExcessiveScroll                 // scrolling up and down, searching
)

var kindNames = [...]string{"", "rage", "dead", "quickback", "errorclick", "scrolling"}

// String is the signal's name in events: rage, dead, quickback,
// errorclick, scrolling.
func (k Kind) String() string {
	if int(k) >= len(kindNames) {
		return ""
	}
	return kindNames[k]
}

// Signal is one occurrence of a frustration signal.
type Signal struct {
	Kind Kind
	At   int64  // when it began: the first click, the return to the page, the first scroll reversal
	El   uint16 // the clicked element's id (rage, dead, error clicks), 0 when none
	N    uint16 // clicks of a rage click, direction changes of excessive scrolling
	X, Y int32  // where the (first) click was, in page coordinates
	Page uint32 // quick back: the page left briefly (0: another document)
}

const maxSignals = 16 // signals waiting for Next

// signals is a fixed FIFO of signals.
type signals struct {
	q    [maxSignals]Signal
	head int
	n    int
	lost uint16
}

func (s *signals) emit(g Signal) {
	if s.n == maxSignals {
		s.lost = inc16(s.lost)
		return
	}
	s.q[(s.head+s.n)%maxSignals] = g
	s.n++
}

// Next returns the oldest signal not yet taken, false when there is none.
func (d *Detector) Next() (Signal, bool) {
	s := &d.out
	if s.n == 0 {
		return Signal{}, false
	}
	g := s.q[s.head]
	s.head, s.n = (s.head+1)%maxSignals, s.n-1
	return g, true
}

// Lost is the number of signals dropped because Next was not called in
// time (more than 16 waiting), saturating at MaxCount.
func (d *Detector) Lost() int { return int(d.out.lost) }
