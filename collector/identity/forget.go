package identity

// VisitorIDs returns the visitor ids a visitor of site at ip with the
// User-Agent ua has today and had yesterday, for erasing that visitor's
// rows (POST /forget). Unlike AppendVisitorID it does not count as a
// visit. yesterday is empty when yesterday's salt no longer exists; both
// are empty after Close.
func (k *Keyer) VisitorIDs(site, ip, ua []byte) (today, yesterday string) {
	day, _ := k.rlockFresh()
	defer k.mu.RUnlock()
	if !k.today.live || k.today.day < day {
		return "", ""
	}
	today = string(appendHex(nil, k.key(&k.today, site, ip, ua)))
	if k.yesterday.live && k.yesterday.day == day-1 {
		yesterday = string(appendHex(nil, k.key(&k.yesterday, site, ip, ua)))
	}
	return today, yesterday
}
