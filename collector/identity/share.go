package identity

// Sharing salts between collectors (cluster.go). These methods move a raw
// salt in and out of a Keyer for the exchange with peers; the raw bytes
// live only in the caller's array, which the caller zeroes.

// SaltBytes is the length of a raw salt.
const SaltBytes = saltBytes

// tagLabel is what a salt's tag is the HMAC of. It has a space, so no site
// id (lower-case letters, digits, dots and dashes) can collide with it.
var tagLabel = []byte("crumbless cluster tag")

// Day returns the UTC day number (days since the Unix epoch) of the
// Keyer's clock.
func (k *Keyer) Day() int64 { return dayOf(k.now()) }

// Tag returns the public name of key under which peers agree on a salt:
// the first 8 bytes of HMAC-SHA256(key, tagLabel). The lowest tag wins.
func (k *Keyer) Tag(key *[SaltBytes]byte) uint64 {
	var s salt
	tmp := *key
	s.set(0, &tmp)
	defer s.destroy()
	return k.tag(&s)
}

func (k *Keyer) tag(s *salt) uint64 { return k.key(s, tagLabel, nil, nil) }

// Export copies the salt of day into dst, and reports whether there is
// one: only yesterday's, today's and tomorrow's (once drawn or agreed) are
// ever given out; older ones are destroyed first.
func (k *Keyer) Export(day int64, dst *[SaltBytes]byte) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.slotLocked(day)
	if s == nil || !s.live || s.day != day {
		return false
	}
	for i := range dst {
		dst[i] = s.ipad[i] ^ 0x36
	}
	return true
}

// Offer proposes key as the salt of day, and zeroes key. The Keyer takes
// it when it holds no salt for that day or when key's tag is lower than
// its own salt's (the agreement rule); with force it takes it anyway (a
// joining node takes its running peers' salt). It reports whether it took
// it. Days other than yesterday, today and tomorrow are refused.
func (k *Keyer) Offer(day int64, key *[SaltBytes]byte, force bool) (taken bool) {
	var in salt
	in.set(day, key)
	defer in.destroy()
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.slotLocked(day)
	if s == nil {
		return false
	}
	if s.live && s.day == day && (s.ipad == in.ipad || !force && k.tag(s) <= k.tag(&in)) {
		return false
	}
	s.destroy()
	*s = in
	return true
}

// DrawNext draws tomorrow's candidate salt unless there is one. A cluster
// calls it some time before midnight, so that the peers can agree on
// tomorrow's salt before it is needed.
func (k *Keyer) DrawNext() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	day := dayOf(k.now())
	if k.closed {
		return nil
	}
	_ = k.rotateLocked(day) // on failure today stays empty; tomorrow's is still drawn
	if k.next.live && k.next.day == day+1 {
		return nil
	}
	k.next.destroy()
	return k.draw(&k.next, day+1)
}

// slotLocked brings the salts up to date with the clock and returns where
// day's salt is kept, or nil for a day that is not yesterday, today or
// tomorrow, or after Close.
func (k *Keyer) slotLocked(day int64) *salt {
	if k.closed {
		return nil
	}
	now := dayOf(k.now())
	_ = k.rotateLocked(now) // on failure today's slot is empty and may be filled
	switch day {
	case now - 1:
		return &k.yesterday
	case now:
		return &k.today
	case now + 1:
		return &k.next
	}
	return nil
}
