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

// MaxGCMDefaults bounds the region entries a GCM keeps: one per region a
// default names, and one per region-less default. Further ones are dropped
// (their types stay unset, so the region default applies) and Overflow is
// set.
const MaxGCMDefaults = 64

// GCM rebuilds Google Consent Mode's state the way Google does (§4.3):
// defaults per region, the most specific matching one per type ("US-CA"
// beats "US" beats a region-less default; the later of equals wins), then
// updates in order over them. A type never set is Unset, not Denied. The
// zero GCM has seen no command.
type GCM struct {
	defaults [MaxGCMDefaults]gcmDefault
	n        int
	updates  GCMStates
	// WaitMillis is the largest wait_for_update a default asked for.
	WaitMillis uint32
	// Overflow reports that defaults were dropped.
	Overflow bool
}

type gcmDefault struct {
	region string // "FR", "US-CA", or empty for everywhere
	states GCMStates
}

// Default records a gtag('consent', 'default', ...) command: states for the
// given regions (codes like "FR" or "US-CA"), or everywhere when there are
// none.
func (g *GCM) Default(states GCMStates, regions ...[]byte) {
	if len(regions) == 0 {
		g.add(nil, states)
	}
	for _, r := range regions {
		if validRegion(r) {
			g.add(r, states)
		}
	}
}

func (g *GCM) add(region []byte, states GCMStates) {
	if g.n == MaxGCMDefaults {
		g.Overflow = true
		return
	}
	g.defaults[g.n].region = string(region) // at most MaxGCMDefaults copies, of at most 6 bytes
	g.defaults[g.n].states = states
	g.n++
}

// Update records a gtag('consent', 'update', ...) command.
func (g *GCM) Update(states GCMStates) { overlay(&g.updates, &states) }

// overlay sets in dst every state src sets.
func overlay(dst, src *GCMStates) {
	for i, s := range src {
		if s != Unset {
			dst[i] = s
		}
	}
}

// Command records one consent command as the page read it from the data
// layer: command is "default" or "update", and kv holds key, value pairs:
// consent types with "granted" or "denied", "region" with comma-separated
// codes, "wait_for_update" with a decimal number of milliseconds. Unknown
// keys and values are ignored. ok is false for an unknown command or an odd
// kv.
func (g *GCM) Command(command []byte, kv ...[]byte) (ok bool) {
	isDefault := equal(command, "default")
	if !isDefault && !equal(command, "update") || len(kv)%2 != 0 {
		return false
	}
	var states GCMStates
	everywhere := true
	for i := 0; i < len(kv); i += 2 {
		k, v := kv[i], kv[i+1]
		if st := StateNamed(v); st != Unset {
			for t := range gcmTypeNames {
				if equal(k, gcmTypeNames[t]) {
					states[t] = st
				}
			}
		}
		if isDefault && equal(k, "wait_for_update") {
			if w, ok := parseDec(v, 1<<32-1); ok {
				g.WaitMillis = max(g.WaitMillis, uint32(w))
			}
		}
		everywhere = everywhere && !equal(k, "region")
	}
	if !isDefault {
		g.Update(states)
		return true
	}
	if everywhere {
		g.add(nil, states)
	}
	for i := 0; i < len(kv); i += 2 {
		for rest := kv[i+1]; equal(kv[i], "region") && rest != nil; {
			var r []byte
			r, rest = cut(rest, ',')
			if r = trim(r); validRegion(r) {
				g.add(r, states)
			}
		}
	}
	return true
}

// States returns the state of every type for a visitor in r: per type, the
// most specific default that sets it, then any update.
func (g *GCM) States(r Region) GCMStates {
	var out GCMStates
	var level [NumGCMTypes]int
	for i := 0; i < g.n; i++ {
		d := &g.defaults[i]
		l := 1
		if d.region != "" {
			l = matchLevel(d.region, r)
		}
		for t, s := range d.states {
			if s != Unset && l > 0 && l >= level[t] {
				out[t], level[t] = s, l
			}
		}
	}
	overlay(&out, &g.updates)
	return out
}

// Choice maps the state for a visitor in r onto purposes (§2.1):
// analytics_storage granted grants measurement, analytics and interaction;
// denied denies analytics and interaction (measurement stays unset, as
// Google still sends cookieless pings). ad_storage and ad_user_data both
// granted grant marketing; either of them or ad_personalization denied
// denies it; otherwise it is unset. At is 0: Consent Mode carries no time.
func (g *GCM) Choice(r Region) Choice {
	st := g.States(r)
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
