package core

import (
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The consent records (wasm/ABI.md): each updates the signals, then
// consentChanged decides again.

// navRecord: navigator.globalPrivacyControl and navigator.doNotTrack, each
// "1" when set. Deny-only.
func (t *Tracker) navRecord(f *fields, now int64) {
	s := &t.consent.signals
	s.GPC = isOne(f.next())
	s.DNT = isOne(f.next())
	t.automated = isOne(f.next())
	t.consentChanged(consent.SourceNone, false, now)
}

// tcfRecord: one __tcfapi addEventListener callback. Only tcloaded and
// useractioncomplete carry a choice; the publisher's purpose consents and
// legitimate interests are bitmasks (bit i is TCF purpose i+1), in decimal.
func (t *Tracker) tcfRecord(f *fields, now int64) {
	gdpr, status := f.next(), f.next()
	if !consent.Equal(status, "tcloaded") && !consent.Equal(status, "useractioncomplete") {
		return
	}
	pub, _ := parseUint(f.next())
	pubLI, _ := parseUint(f.next())
	tc := f.next()
	s := &t.consent.signals
	var why consent.Reasons
	s.Choices[consent.SourceTCF], why = consent.TCFChoice(isOne(gdpr), uint32(pub), uint32(pubLI), now)
	s.NoStorage = why.Has(consent.ReasonStorageDenied)
	t.keepEvidence(consent.SourceTCF, tc)
	t.consentChanged(consent.SourceTCF, false, now)
}

// gppRecord: one __gpp event listener callback. Only signalStatus "ready"
// counts. A usnat opt-out (1) of sale, sharing or targeted advertising, or
// its GPC subsection, denies marketing (consent.GPPUSChoice).
func (t *Tracker) gppRecord(f *fields, now int64) {
	if !consent.Equal(f.next(), "ready") {
		return
	}
	sale, sharing, targeted := small(f.next()), small(f.next()), small(f.next())
	gpc := isOne(f.next())
	gpp := f.next()
	s := &t.consent.signals
	s.USOptOut = consent.GPPUSOptOut(sale, sharing, targeted, gpc)
	s.Choices[consent.SourceGPP] = consent.GPPUSChoice(sale, sharing, targeted, gpc, now)
	t.keepEvidence(consent.SourceGPP, gpp)
	t.consentChanged(consent.SourceGPP, false, now)
}

func small(b []byte) uint8 {
	n, ok := parseUint(b)
	if !ok || n > 255 {
		return 0
	}
	return uint8(n)
}

// gcmRecord: one Consent Mode command from the dataLayer: "default" or
// "update", then its keys and values (a region list comma-separated).
// Defaults set the stage; an update is the source answering. A default
// applies for the visitor's region, so the loader sends these records only
// after the policy record; before it, they are ignored.
func (t *Tracker) gcmRecord(f *fields, now int64) {
	c := &t.consent
	cmd := f.next()
	if c.mode == waitPolicy || !c.gcm.apply(cmd, f) {
		return
	}
	ch := c.gcm.Choice()
	ch.At = now
	c.signals.Choices[consent.SourceGCM] = ch
	src := consent.SourceGCM
	if !consent.Equal(cmd, "update") {
		src = consent.SourceNone // a default is not an answer
	}
	t.consentChanged(src, false, now)
}

// apiRecord: crumbless('consent', {purpose: 'granted' | 'denied', ...}),
// which changes only the purposes it names, or crumbless('consent',
// 'withdraw'), which denies every optional purpose and removes the stored
// id at once. The pair source: 'banner' says the choice comes from the
// built-in banner (consent.SourceBanner); without it, or with any other
// value, it is the site's own code (consent.SourceAPI).
func (t *Tracker) apiRecord(f *fields, now int64) {
	s := &t.consent.signals
	if f.left() == 1 {
		if !consent.Equal(f.next(), "withdraw") {
			return
		}
		c := &s.Choices[consent.SourceAPI]
		for p := consent.Measurement; p < consent.NumPurposes; p++ {
			c.States[p] = consent.Denied
		}
		c.At = now
		t.forgetUID()
		t.consentChanged(consent.SourceAPI, true, now)
		return
	}
	src := consent.SourceAPI
	var states [consent.NumPurposes]consent.State
	for f.left() >= 2 {
		k, v := f.next(), f.next()
		if consent.Equal(k, "source") && consent.Equal(v, "banner") {
			src = consent.SourceBanner
		}
		p, ok := parsePurpose(k)
		if st := consent.StateNamed(v); ok && st != consent.Unset {
			states[p] = st
		}
	}
	c := &s.Choices[src]
	for p, st := range states {
		if st != consent.Unset {
			c.States[p] = st
		}
	}
	c.At = now
	t.consentChanged(src, false, now)
}

// signalsRecord replaces every signal (for tests that run the page's
// decision on given inputs, and for replays): a flags byte (GPC, DNT,
// OptOut, USOptOut, NoStorage from bit 0 up), an Invalid byte, then for
// each source, from SourceNone up, a field of its NumPurposes states and
// its At, little-endian (AppendSignalsRecord).
func (t *Tracker) signalsRecord(f *fields, now int64) {
	s := &t.consent.signals
	flags, invalid := f.next(), f.next()
	if len(flags) != 1 || len(invalid) != 1 || f.left() != int(consent.NumSources) {
		return
	}
	*s = consent.Signals{GPC: flags[0]&1 != 0, DNT: flags[0]&2 != 0, OptOut: flags[0]&4 != 0,
		USOptOut: flags[0]&8 != 0, NoStorage: flags[0]&16 != 0, Invalid: invalid[0]}
	for src := range s.Choices {
		b := f.next()
		if len(b) != int(consent.NumPurposes)+8 {
			continue
		}
		c := &s.Choices[src]
		for q := range c.States {
			c.States[q] = consent.State(min(b[q], byte(consent.Granted)))
		}
		for i := 7; i >= 0; i-- {
			c.At = c.At<<8 | int64(b[int(consent.NumPurposes)+i])
		}
	}
	t.consentChanged(consent.SourceNone, false, now)
}

// AppendSignalsRecord appends s as a RecordSignals record.
func AppendSignalsRecord(dst []byte, s *consent.Signals) []byte {
	var flags byte
	for i, on := range [...]bool{s.GPC, s.DNT, s.OptOut, s.USOptOut, s.NoStorage} {
		if on {
			flags |= 1 << i
		}
	}
	fields := []string{string([]byte{flags}), string([]byte{s.Invalid})}
	for _, c := range s.Choices {
		var b [int(consent.NumPurposes) + 8]byte
		for q, st := range c.States {
			b[q] = byte(st)
		}
		for i := 0; i < 8; i++ {
			b[int(consent.NumPurposes)+i] = byte(c.At >> (8 * i))
		}
		fields = append(fields, string(b[:]))
	}
	return AppendRecord(dst, RecordSignals, fields...)
}

func parsePurpose(b []byte) (consent.Purpose, bool) {
	for p := consent.Necessary + 1; p < consent.NumPurposes; p++ {
		if consent.Equal(b, p.String()) {
			return p, true
		}
	}
	return 0, false
}

func isOne(b []byte) bool { return len(b) == 1 && b[0] == '1' }

// bytesEqual reports whether a and b are equal. (Comparing strings would
// do, but TinyGo makes heap copies for it; consent.Equal is its byte/string
// sibling.)
func bytesEqual(a, b []byte) bool {
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

// keepEvidence keeps a copy of a source's raw string (a TC or GPP string)
// for its consent events, cut to wire.MaxEvidenceLen.
func (t *Tracker) keepEvidence(src consent.Source, raw []byte) {
	c := &t.consent
	c.evidence[src] = c.evidenceMem[src][:copy(c.evidenceMem[src][:], wire.Truncate(raw, wire.MaxEvidenceLen))]
}
