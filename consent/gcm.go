package consent

// GCMType is one Google Consent Mode consent type that Crumbless reads.
type GCMType uint8

const (
	GCMAdStorage GCMType = iota
	GCMAdUserData
	GCMAdPersonalization
	GCMAnalyticsStorage

	// NumGCMTypes is the number of consent types read.
	NumGCMTypes
)

var gcmTypeNames = [NumGCMTypes]string{"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage"}

// GCMStates holds a state per consent type; Unset where a command said
// nothing.
type GCMStates [NumGCMTypes]State

// GCMAt rebuilds Google Consent Mode's state (§4.3) for a visitor in one
// known region, the way Google does: per consent type, the most specific
// default that applies to the region ("US-CA" beats "US" beats a default
// without a region list; the later of equals wins), then updates in order
// over them. Since the region is bound first, it keeps per type only the
// state and the specificity it was set at, not every region's default.
// A type never set is Unset, not Denied. Bind the region (SetRegion)
// before the first command; the zero GCMAt has seen no command, for an
// unknown region (only defaults without a region list apply).
type GCMAt struct {
	region  [6]byte // the visitor's, AppendRegion's encoding
	regionN uint8
	states  GCMStates
	// level is the specificity each state was set at: 1 a default without
	// a region list, 2 one naming the country, 3 one naming the
	// subdivision, 4 an update.
	level [NumGCMTypes]uint8
	// WaitMillis is the largest wait_for_update a default asked for.
	WaitMillis uint32
}

// Command records one consent command as the page read it from the data
// layer: command is "default" or "update", and kv holds key, value pairs:
// consent types with "granted" or "denied", "region" with comma-separated
// codes, "wait_for_update" with a decimal number of milliseconds. Unknown
// keys and values are ignored. A default applies at the specificity of
// its most specific region code that matches g.Region, or not at all when
// none does. ok is false for an unknown command or an odd kv.
func (g *GCMAt) Command(command []byte, kv ...[]byte) (ok bool) {
	isDefault := Equal(command, "default")
	if !isDefault && !Equal(command, "update") || len(kv)%2 != 0 {
		return false
	}
	var states GCMStates
	level, regional := uint8(4), uint8(0)
	if isDefault {
		level = 1
	}
	for i := 0; i < len(kv); i += 2 {
		k, v := kv[i], kv[i+1]
		if st := StateNamed(v); st != Unset {
			for t := range gcmTypeNames {
				if Equal(k, gcmTypeNames[t]) {
					states[t] = st
				}
			}
		}
		if isDefault && Equal(k, "wait_for_update") {
			if w, ok := ParseDec(v, 1<<32-1); ok {
				g.WaitMillis = max(g.WaitMillis, uint32(w))
			}
		}
		if isDefault && Equal(k, "region") {
			regional = max(regional, 1) // even an empty list restricts the default
			for rest := v; rest != nil; {
				var r []byte
				r, rest = cut(rest, ',')
				regional = max(regional, 1+g.levelOf(trim(r)))
			}
		}
	}
	if regional > 0 { // a region list: its most specific code that matches, if any
		level = regional - 1
	}
	for t, s := range states {
		if s != Unset && level > 0 && level >= g.level[t] {
			g.states[t], g.level[t] = s, level
		}
	}
	return true
}

// SetRegion binds the visitor's region, in AppendRegion's encoding ("FR",
// "US-CA"), as GET /c sends it; anything else (like "") is an unknown
// region, and ok is false unless it is "".
func (g *GCMAt) SetRegion(code []byte) (ok bool) {
	g.regionN = 0
	if !validRegion(code) {
		return len(code) == 0
	}
	g.regionN = uint8(copy(g.region[:], code))
	return true
}

// levelOf is 3 when m names the region's subdivision, 2 its country, and 0
// otherwise.
func (g *GCMAt) levelOf(m []byte) uint8 {
	r := g.region[:g.regionN]
	if len(r) == 0 || len(m) < 2 || m[0] != r[0] || m[1] != r[1] {
		return 0
	}
	if len(m) == 2 {
		return 2
	}
	if len(m) != len(r) {
		return 0
	}
	for i := 2; i < len(m); i++ {
		if m[i] != r[i] {
			return 0
		}
	}
	return 3
}

// States returns the state of every type: per type, the most specific
// default that sets it, then any update.
func (g *GCMAt) States() GCMStates { return g.states }

// Choice maps the state onto purposes (§2.1):
// analytics_storage granted grants measurement, analytics and interaction;
// denied denies analytics and interaction (measurement stays unset, as
// Google still sends cookieless pings). ad_storage and ad_user_data both
// granted grant marketing; either of them or ad_personalization denied
// denies it; otherwise it is unset. At is 0: Consent Mode carries no time.
func (g *GCMAt) Choice() Choice {
	st := &g.states
	var c Choice
	switch st[GCMAnalyticsStorage] {
	case Granted:
		c.States[Measurement], c.States[Analytics], c.States[Interaction] = Granted, Granted, Granted
	case Denied:
		c.States[Analytics], c.States[Interaction] = Denied, Denied
	}
	switch {
	case st[GCMAdStorage] == Denied || st[GCMAdUserData] == Denied || st[GCMAdPersonalization] == Denied:
		c.States[Marketing] = Denied
	case st[GCMAdStorage] == Granted && st[GCMAdUserData] == Granted:
		c.States[Marketing] = Granted
	}
	return c
}

// trim removes leading and trailing spaces and tabs.
func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
