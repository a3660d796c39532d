package identity

// salt is one day's secret, kept as the two HMAC pads derived from it (the
// pads are as secret as the key). The raw key is zeroed once the pads exist.
type salt struct {
	day  int64 // days since the Unix epoch, UTC
	live bool
	ipad [blockBytes]byte
	opad [blockBytes]byte
}

// set derives the pads for key and zeroes key.
func (s *salt) set(day int64, key *[saltBytes]byte) {
	s.day, s.live = day, true
	for i := range s.ipad {
		s.ipad[i], s.opad[i] = 0x36, 0x5c
	}
	for i, b := range key {
		s.ipad[i] ^= b
		s.opad[i] ^= b
	}
	clear(key[:])
}

// destroy zeroes the secret.
func (s *salt) destroy() {
	clear(s.ipad[:])
	clear(s.opad[:])
	s.day, s.live = 0, false
}
