package core

import (
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The consent engine's page half (wasm/ABI.md, "Consent"). The tracker
// starts waiting for the site's policy (RecordPolicy, from GET /c). Without
// one it sends as an ABI 1 tracker did: no consent fields, the collector
// decides alone. With one, it holds events until the authoritative source
// answers or Policy.WaitMillis have passed since init, then decides with
// consent.DecideFor under the profile the edge resolved for the visitor's
// region, and decides again on every consent record. Each batch
// carries the one decision its events were captured under.

// Consent modes.
const (
	waitPolicy = iota // no policy record yet: hold events
	legacy            // no policy: no consent fields, no storage
	withPolicy        // decide from the policy
)

// uid states: the T3 id is read from the device only once the tracker has
// decided T3, and removed when the visitor withdraws.
const (
	uidNone    = iota
	uidPending // asked the loader for it (SendLoadID)
	uidLoaded
)

const (
	uidHexLen = 32
	dayMillis = 24 * 60 * 60 * 1000
	// defaultValidityDays is thirteen months, the longest a T3 id lives.
	defaultValidityDays = 390
)

// consentState is what the tracker knows about consent.
type consentState struct {
	mode    uint8
	decided bool // the wait is over: dec holds
	initAt  int64
	policy  consent.Policy
	profile consent.Profile // the region's, as the edge resolved it
	signals consent.Signals
	gcm     gcmState // bound to the visitor's region
	settle  bool     // a policy record came: decide at the end of the feed
	// answered has bit 1<<source set once the source gave a choice.
	answered uint8
	// evidence holds the latest TC and GPP strings, for consent events.
	evidence    [consent.NumSources][]byte
	evidenceMem [consent.NumSources][wire.MaxEvidenceLen]byte
	dec         consent.Decision
	auth        [consent.NumPurposes]consent.State // the authoritative choice last reported

	// The head of the batches of the current decision.
	hash    [wire.MaxPolicyLen]byte
	hashLen int
	tier    [wire.MaxTierLen]byte
	flags   [wire.MaxFlagsLen]byte
	flagsN  int
	head    []byte                      // encoded signals of the current decision
	scratch []byte                      // encoded signals or states being compared or sent
	sigMem  [2][wire.MaxSignalsLen]byte // what head and scratch point into

	uidState uint8
	uid      [uidHexLen + 21]byte // the id, then what Store is given: '.' and the expiry
	fresh    [uidHexLen]byte      // a new id: the hex of init seed bytes 16 to 31
	uidOK    bool                 // fresh was filled
}

// holding reports whether queued events must wait: for the policy, for the
// decision, or for the stored id.
func (t *Tracker) holding() bool {
	c := &t.consent
	return c.mode == waitPolicy || (c.mode == withPolicy && !c.decided) || c.uidState == uidPending
}

// dropping reports whether events are dropped: the decision is T0.
func (t *Tracker) dropping() bool {
	c := &t.consent
	return c.mode == withPolicy && c.decided && c.dec.Tier == consent.T0
}

// deadline is when the current wait ends, or 0 when no wait is timed.
func (t *Tracker) deadline() int64 {
	c := &t.consent
	switch {
	case c.mode == waitPolicy:
		return c.initAt + PolicyTimeoutMillis
	case c.mode == withPolicy && !c.decided:
		wait := c.policy.WaitMillis
		if c.policy.Authority == consent.SourceGCM { // gtag's wait_for_update, up to 10 s
			wait = max(wait, min(c.gcm.WaitMillis, 10_000))
		}
		return c.initAt + int64(wait)
	}
	return 0
}

// endWaits ends the waits whose time has come, or every wait when the page
// is going away.
func (t *Tracker) endWaits(now int64, all bool) {
	c := &t.consent
	if c.mode == waitPolicy && (all || now >= c.initAt+PolicyTimeoutMillis) {
		c.mode = legacy
	}
	if c.mode == withPolicy && !c.decided && (all || now >= t.deadline()) {
		t.decideNow(now)
	}
	if all && c.uidState == uidPending {
		c.uidState = uidNone // sent without the id: the collector keys it at the edge
	}
}

// policyRecord reads the body of GET /c: the policy line, the region line,
// then the visitor's profile, resolved by the edge with ProfileFor. A body
// that is not a policy, or has no valid profile line, means an older
// collector: legacy (no consent fields, the collector decides alone).
func (t *Tracker) policyRecord(f *fields, now int64) {
	c := &t.consent
	if c.mode != waitPolicy {
		return
	}
	line, rest := cutLine(f.next())
	region, rest := cutLine(rest)
	prof, _ := cutLine(rest)
	var ok bool
	if c.profile, ok = parseProfile(prof); !ok || !parsePolicy(&c.policy, line) {
		c.mode = legacy
		return
	}
	c.gcm.SetRegion(region) // unknown (empty or invalid): only Consent Mode defaults without a region list apply
	c.hashLen = len(appendPolicyHash(c.hash[:0], line))
	c.mode = withPolicy
	// The loader feeds the Consent Mode commands held until now right after
	// this record, in the same feed: decide once they are in (Feed).
	c.settle = true
}

func cutLine(b []byte) (line, rest []byte) {
	for i, ch := range b {
		if ch == '\n' {
			return trimCR(b[:i]), b[i+1:]
		}
	}
	return trimCR(b), nil
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

// consentChanged runs after a record changed the signals from source src
// (SourceNone for the policy and deny-only signals): it ends the wait once
// the authoritative source has answered, decides again, and reports a
// change of the authoritative choice, or a withdrawal, as a consent event.
func (t *Tracker) consentChanged(src consent.Source, withdraw bool, now int64) {
	c := &t.consent
	c.answered |= 1 << src
	if c.mode != withPolicy || c.settle {
		return
	}
	a := c.policy.Authority
	if !c.decided && a != consent.SourceNone && c.answered&(1<<a) == 0 && now < t.deadline() {
		return
	}
	t.decideNow(now)
	if a != consent.SourceNone && a < consent.NumSources && c.signals.Choices[a].States != c.auth {
		c.auth = c.signals.Choices[a].States
		t.consentEvent(a, now)
	} else if withdraw {
		t.consentEvent(src, now)
	}
}

// decideNow decides with the current signals. The first decision ends the
// wait: the events held get it. After that, a different decision (or
// different signals) sends the queue under the old one first, so that an
// upgrade applies only to events captured after it.
func (t *Tracker) decideNow(now int64) {
	c := &t.consent
	d := decide(&c.policy, &c.signals, c.profile)
	c.scratch = appendSignals(c.scratch[:0], &c.signals)
	if c.decided {
		if d.Tier == c.dec.Tier && d.Interaction == c.dec.Interaction && d.Marketing == c.dec.Marketing &&
			bytesEqual(c.scratch, c.head) {
			return
		}
		if c.uidState != uidPending { // held events were captured under the new intent: they follow it down
			t.flush(now, SendNormal)
		}
		if c.dec.Tier == consent.T3 && d.Tier < consent.T3 && c.uidState != uidNone {
			t.forgetUID()
		}
	}
	c.decided = true
	c.dec = d
	c.head, c.scratch = c.scratch, c.head
	t.adopt(now)
	t.releaseView(now, false) // the page's pageview comes before what follows the decision
}

// adopt makes c.dec the decision of the queue: drops it at T0, asks for the
// stored id at T3.
func (t *Tracker) adopt(now int64) {
	c := &t.consent
	c.flagsN = len(appendFlags(c.flags[:0], c.dec))
	if c.dec.Tier == consent.T0 {
		t.queue, t.queued = t.queue[:0], 0
	}
	if c.dec.Tier == consent.T3 && c.uidState == uidNone {
		if !c.uidOK {
			c.dec.Tier = consent.T2 // no randomness for an id: stay cookieless
			return
		}
		c.uidState = uidPending
		if t.Send != nil {
			t.Send(nil, SendLoadID)
		}
	}
}

// forgetUID removes the stored id at once.
func (t *Tracker) forgetUID() {
	t.consent.uidState = uidNone
	if t.Store != nil {
		t.Store(nil)
	}
}

// uidRecord takes the stored id the tracker asked for. A missing, malformed
// or expired one is replaced by a new id that expires ValidityDays from now;
// a valid one is kept as it is, so its lifetime is never extended.
func (t *Tracker) uidRecord(f *fields, now int64) {
	c := &t.consent
	if c.uidState != uidPending {
		return
	}
	c.uidState = uidLoaded
	stored := f.next()
	days := int64(c.policy.ValidityDays)
	if days <= 0 || days > defaultValidityDays {
		days = defaultValidityDays
	}
	expires := now + days*dayMillis
	if exp, ok := parseStoredID(stored); ok && exp > now && exp <= expires {
		copy(c.uid[:], stored)
		return
	}
	copy(c.uid[:], c.fresh[:])
	c.uid[uidHexLen] = '.'
	if t.Store != nil { // c.uid is large enough: no allocation
		t.Store(wire.AppendInt(c.uid[:uidHexLen+1], expires))
	}
}

// parseStoredID reads "32 hex digits.expiry in ms" and returns the expiry.
func parseStoredID(v []byte) (expires int64, ok bool) {
	if len(v) < uidHexLen+2 || len(v) > uidHexLen+20 || v[uidHexLen] != '.' {
		return 0, false
	}
	for _, ch := range v[:uidHexLen] {
		if (ch < '0' || ch > '9') && (ch < 'a' || ch > 'f') {
			return 0, false
		}
	}
	n, ok := parseUint(v[uidHexLen+1:])
	return int64(n), ok && n < 1<<62
}

// parseUint is consent.ParseDec (no leading zero), which the module holds
// anyway.
func parseUint(b []byte) (uint64, bool) { return consent.ParseDec(b, 1<<63-1) }

// consentEvent queues a KindConsent event: the source, its new states and
// the raw evidence (a TC or GPP string).
func (t *Tracker) consentEvent(src consent.Source, now int64) {
	c := &t.consent
	e := t.pageEvent(now, wire.KindConsent)
	e.text[wire.TextMethod] = t.method[:copy(t.method[:], src.String())]
	c.scratch = appendChoice(c.scratch[:0], &c.signals.Choices[src])
	setCut(&e.text[wire.TextStates], c.scratch, wire.MaxStatesLen)
	e.text[wire.TextEvidence] = c.evidence[src]
	t.enqueue(e, now)
}

// appendHead appends the head of a batch of the current decision: the
// site, and its consent fields (wire.Batch) when it decided.
func (t *Tracker) appendHead(dst []byte) []byte {
	c := &t.consent
	dst = appendText(dst, keySite, t.site[:t.siteLen])
	if c.mode == withPolicy && c.decided {
		var uid []byte
		if c.dec.Tier == consent.T3 && c.uidState == uidLoaded {
			uid = c.uid[:uidHexLen]
		}
		for i, v := range [...][]byte{c.tier[:copy(c.tier[:], c.dec.Tier.String())], c.flags[:c.flagsN], c.head, c.hash[:c.hashLen], uid} {
			dst = appendText(dst, keyTier+i, v)
		}
	}
	if t.automated {
		dst = appendNumber(dst, keyAutomated, 1)
	}
	return dst
}
