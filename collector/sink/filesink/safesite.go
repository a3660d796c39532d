package filesink

// SafeSite reports whether site is a site id the sink writes: one that can
// be a directory name (see safeSite). Readers of the files check the names
// they are given with it before building a path from them.
func SafeSite(site string) bool { return safeSite([]byte(site)) }
