package mouse

// Limits of Selectors.
const (
	MaxSelectors  = 64   // distinct selectors per page view
	MaxSelector   = 200  // bytes kept of one selector
	selectorBytes = 4096 // the arena all selectors of a view share
)

// Selectors interns the stable selectors of the elements a page view's
// heatmap is anchored to (built by the loader from ids, data attributes,
// tag names and positions among siblings; never text content or input
// values) into small ids, 1 to MaxSelectors, in fixed memory. Ids are
// valid for one page view: the encoder of a flush sends the selectors of
// the ids it uses (Get), and Reset starts a new view.
type Selectors struct {
	arena [selectorBytes]byte
	end   [MaxSelectors]uint16 // end of selector i in arena
	n     int
}

// ID returns sel's id, interning it when new: 0 when sel is empty or the
// table or its arena is full. A selector longer than MaxSelector is cut.
func (s *Selectors) ID(sel []byte) uint16 {
	sel = sel[:min(len(sel), MaxSelector)]
	if len(sel) == 0 {
		return 0
	}
	for i := range s.n {
		if same(s.Get(uint16(i+1)), sel) {
			return uint16(i + 1)
		}
	}
	at := s.start(s.n)
	if s.n == MaxSelectors || len(sel) > selectorBytes-at {
		return 0
	}
	copy(s.arena[at:], sel)
	s.end[s.n] = uint16(at + len(sel))
	s.n++
	return uint16(s.n)
}

// Get returns the selector of id, nil when there is none. The bytes stay
// valid until Reset.
func (s *Selectors) Get(id uint16) []byte {
	if id == 0 || int(id) > s.n {
		return nil
	}
	return s.arena[s.start(int(id)-1):s.end[id-1]]
}

// Len is the number of interned selectors: their ids are 1 to Len.
func (s *Selectors) Len() int { return s.n }

// Reset forgets every selector, for a new page view.
func (s *Selectors) Reset() { s.n = 0 }

func (s *Selectors) start(i int) int {
	if i == 0 {
		return 0
	}
	return int(s.end[i-1])
}

// same reports whether a and b hold the same bytes (string(a) == string(b)
// may allocate under TinyGo).
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
