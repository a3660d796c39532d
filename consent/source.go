package consent

// Source is where a consent signal came from.
type Source uint8

const (
	SourceNone Source = iota
	// SourceBanner is Crumbless's own optional banner.
	SourceBanner
	// SourceAPI is the site's own code calling crumbless('consent', {...}).
	SourceAPI
	// SourceTCF is an IAB TCF v2 CMP (__tcfapi).
	SourceTCF
	// SourceGPP is an IAB GPP CMP (__gpp).
	SourceGPP
	// SourceGCM is Google Consent Mode (gtag/dataLayer consent commands).
	SourceGCM

	// NumSources is the number of sources that can carry a Choice.
	NumSources
)

var sourceNames = [NumSources]string{"", "banner", "api", "tcf", "gpp", "gcm"}

// String returns the source's configuration name.
func (s Source) String() string {
	if s < NumSources {
		return sourceNames[s]
	}
	return ""
}

// ParseSource reads a source's configuration name.
func ParseSource(name string) (Source, bool) {
	for i := 1; i < len(sourceNames); i++ {
		if name == sourceNames[i] {
			return Source(i), true
		}
	}
	return SourceNone, false
}
