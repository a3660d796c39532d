package consent

// Region is where the visitor is, as the collector resolves it from the IP
// address before dropping it. The browser never guesses it.
type Region struct {
	// Country is an ISO 3166-1 alpha-2 code in upper case, or "" when
	// unknown.
	Country string
	// Subdivision is the ISO 3166-2 subdivision without the country, like
	// "CA" for US-CA, or "".
	Subdivision string
}

// Profile is a region's default consent regime.
type Profile uint8

const (
	// ProfileStrictest applies where the region is unknown: like ProfileOptIn.
	ProfileStrictest Profile = iota
	// ProfileOptIn: nothing optional without consent (EEA, CH, GB by default).
	ProfileOptIn
	// ProfileGBStatistical: the UK's statistical exception (PECR as amended in
	// 2025): measurement and first-party analytics unless the visitor objects.
	ProfileGBStatistical
	// ProfileOptOut: allowed unless the visitor opts out (US and default).
	ProfileOptOut
	// ProfileOff: the site collects nothing in the region (a region cap).
	ProfileOff

	// NumProfiles is the number of profiles.
	NumProfiles
)

var profileNames = [NumProfiles]string{"strictest", "optin", "gb-statistical", "optout", "off"}

// String returns the profile's configuration name.
func (p Profile) String() string {
	if p < NumProfiles {
		return profileNames[p]
	}
	return ""
}

// ParseProfile reads a profile's configuration name.
func ParseProfile(s string) (Profile, bool) {
	for i, n := range profileNames {
		if s == n {
			return Profile(i), true
		}
	}
	return 0, false
}
