package core

import (
	"strconv"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/consent/consenttest"
)

var (
	fr = consent.Region{Country: "FR"}
	us = consent.Region{Country: "US", Subdivision: "CA"}
)

// policyBody is GET /c's body: the policy, the region, and the profile the
// edge resolves for it with ProfileFor.
func policyBody(p consent.Policy, r consent.Region) string {
	prof, _ := p.ProfileFor(r)
	body := consent.AppendRegion(append(consent.AppendPolicy(nil, &p), '\n'), r)
	return string(consent.AppendProfileLetter(append(body, '\n'), prof))
}

// sitePolicy is a policy whose authoritative source is the site's own API.
func sitePolicy(basis consent.Basis) consent.Policy {
	return consent.Policy{Basis: basis, Authority: consent.SourceAPI, WaitMillis: 500, ValidityDays: 390}
}

// withPolicyHarness is a tracker that has received the policy and region.
func withPolicyHarness(t *testing.T, p consent.Policy, r consent.Region) *harness {
	h := newConsentHarness(t)
	h.feed(t0, rec(RecordPolicy, policyBody(p, r)))
	return h
}

var grant = rec(RecordConsent, "measurement", "granted", "analytics", "granted")

func TestWaitsForThePolicy(t *testing.T) {
	h := newConsentHarness(t)
	if d := h.feed(t0+10, page("https://example.com/")); d != PolicyTimeoutMillis-10 {
		t.Errorf("delay while waiting for the policy = %d, want %d", d, PolicyTimeoutMillis-10)
	}
	h.feed(t0+FlushDelayMillis+100, nil)
	if len(h.sent) != 0 {
		t.Fatalf("sent before the policy arrived")
	}
	h.feed(t0+PolicyTimeoutMillis, nil) // no policy in time: the collector decides alone
	h.feed(t0+PolicyTimeoutMillis+FlushDelayMillis, nil)
	if len(h.sent) != 1 || h.sent[0].batch.tier != "" || h.sent[0].batch.signals != "" {
		t.Fatalf("after the policy timeout: %d batches, %+v", len(h.sent), h.sent)
	}
}

func TestWaitsForConsentThenDecides(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	if d := h.feed(t0+100, page("https://example.com/")); d != 400 {
		t.Errorf("delay while waiting for consent = %d, want 400", d)
	}
	h.feed(t0+499, nil)
	if len(h.sent) != 0 {
		t.Fatal("sent while waiting for consent")
	}
	if d := h.feed(t0+500, nil); d != FlushDelayMillis-400 {
		t.Errorf("delay after the wait = %d, want the flush delay from the first event", d)
	}
	h.feed(t0+500, hide)
	b := h.sent[0].batch
	if len(h.sent) != 1 || b.tier != "T2" || b.uid != "" || b.policy == "" || len(b.events) != 1 {
		t.Fatalf("EU, exempt, no CMP: %+v", h.sent)
	}
	if h.loads != 0 || len(h.stores) != 0 {
		t.Errorf("touched storage below T3: %d loads, stores %q", h.loads, h.stores)
	}
}

func TestAnswerEndsTheWait(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisConsent), fr)
	h.feed(t0+10, page("https://example.com/"))
	h.feed(t0+20, grant)
	if h.loads != 1 {
		t.Fatalf("a grant before the wait ended: %d loads of the stored id, want 1", h.loads)
	}
	h.feed(t0+30, rec(RecordUID, ""), hide)
	if len(h.sent) != 1 || h.sent[0].batch.tier != "T3" || h.sent[0].batch.uid != testUID {
		t.Fatalf("batches %+v", h.sent)
	}
	if ev := h.sent[0].batch.events; len(ev) != 2 || ev[0].kind != "pageview" || ev[1].kind != "consent" || ev[1].method != "api" {
		t.Errorf("events %+v; want the pageview held, then the consent event", ev)
	}
}

func TestT0SendsNothing(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisConsent), fr)
	h.feed(t0+10, page("https://example.com/"), custom("e"))
	h.feed(t0+600, custom("after"))
	h.feed(t0+10_000, hide)
	if len(h.sent) != 0 || h.loads != 0 || len(h.stores) != 0 {
		t.Errorf("consent basis, no choice: %d batches, %d loads, stores %q", len(h.sent), h.loads, h.stores)
	}
}

func TestUpgradeLeavesEarlierEventsUnlinked(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	h.feed(t0+10, page("https://example.com/a"))
	h.feed(t0+600, custom("before"))
	h.feed(t0+700, grant)
	if len(h.sent) != 1 || h.sent[0].batch.tier != "T2" || len(h.sent[0].batch.events) != 2 {
		t.Fatalf("the upgrade did not send the earlier events first: %+v", h.sent)
	}
	h.feed(t0+710, custom("held"))
	if h.loads != 1 || len(h.sent) != 1 {
		t.Fatalf("after T3: %d loads, %d batches", h.loads, len(h.sent))
	}
	h.feed(t0+720, rec(RecordUID, ""), custom("after"), hide)
	if len(h.stores) != 1 || !strings.HasPrefix(h.stores[0], testUID+".") {
		t.Fatalf("stores %q: want one new id", h.stores)
	}
	exp, _ := strconv.ParseInt(strings.TrimPrefix(h.stores[0], testUID+"."), 10, 64)
	if want := t0 + 720 + 390*dayMillis; exp != want {
		t.Errorf("expiry %d, want %d (390 days from creation)", exp, want)
	}
	b := h.sent[1].batch
	var kinds []string
	for _, e := range b.events {
		kinds = append(kinds, e.kind+":"+e.name)
	}
	if b.tier != "T3" || b.uid != testUID || strings.Join(kinds, ",") != "consent:,custom:held,custom:after" {
		t.Errorf("T3 batch: tier %s uid %q events %s", b.tier, b.uid, kinds)
	}
	for _, e := range h.sent[0].batch.events {
		if h.sent[0].batch.uid != "" {
			t.Errorf("event %s before the grant is linked", e.id)
		}
	}
}

func TestStoredIDIsReusedUntilItExpires(t *testing.T) {
	stored := "00112233445566778899aabbccddeeff." + strconv.FormatInt(t0+dayMillis, 10)
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	h.feed(t0+10, grant, rec(RecordUID, stored), custom("e"), hide)
	if len(h.stores) != 0 || h.sent[0].batch.uid != "00112233445566778899aabbccddeeff" {
		t.Errorf("a valid stored id: stores %q, uid %q", h.stores, h.sent[0].batch.uid)
	}
	h = withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	h.feed(t0+2*dayMillis, grant, rec(RecordUID, stored), custom("e"), hide)
	if len(h.stores) != 1 || h.sent[0].batch.uid != testUID {
		t.Errorf("an expired stored id: stores %q, uid %q", h.stores, h.sent[0].batch.uid)
	}
	for _, bad := range []string{"junk", "00112233445566778899aabbccddeeff.x", "00112233445566778899AABBCCDDEEFF.1"} {
		if _, ok := parseStoredID([]byte(bad)); ok {
			t.Errorf("parseStoredID(%q) accepted", bad)
		}
	}
}

func TestWithdrawalRemovesTheID(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	h.feed(t0+10, grant, rec(RecordUID, ""), custom("linked"))
	h.feed(t0+20, rec(RecordConsent, "withdraw"))
	if len(h.stores) != 2 || h.stores[1] != "" {
		t.Fatalf("stores %q: want the new id, then its removal", h.stores)
	}
	h.feed(t0+30, custom("unlinked"), hide)
	last := h.sent[len(h.sent)-1].batch
	if h.sent[0].batch.tier != "T3" || (len(h.sent) > 1 && (last.tier == "T3" || last.uid != "")) {
		t.Errorf("after withdrawal: %+v", h.sent)
	}
	for _, s := range h.sent[1:] {
		for _, e := range s.batch.events {
			if e.name == "linked" {
				t.Errorf("an event of T3 was sent after the withdrawal")
			}
		}
	}
}

func TestConsentEventsOnChangeOnly(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), us)
	h.feed(t0+10, rec(RecordConsent, "marketing", "denied"))
	h.feed(t0+20, rec(RecordConsent, "marketing", "denied")) // no change
	h.feed(t0+30, rec(RecordConsent, "marketing", "granted"))
	h.feed(t0+40, rec(RecordUID, ""), hide)
	n := 0
	for _, e := range h.events() {
		if e.kind == "consent" {
			n++
			if e.method != "api" || e.states == "" {
				t.Errorf("consent event %+v", e)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d consent events, want 2", n)
	}
}

func TestSteadyStateWithPolicyDoesNotAllocate(t *testing.T) {
	var tr Tracker
	tr.Send = func([]byte, int) {}
	tr.Feed(append(rec(RecordInit, testSite, testSeed), rec(RecordPolicy, policyBody(sitePolicy(consent.BasisExempt), fr))...), t0)
	feed := append(page("https://example.com/a/b?c"), custom("signup", "plan", "pro")...)
	now := t0 + 1000
	tr.Feed(feed, now)
	allocs := testing.AllocsPerRun(1000, func() {
		now += 100
		tr.Feed(feed, now)
	})
	if allocs != 0 {
		t.Errorf("Feed allocates %.1f times per call", allocs)
	}
}

func TestPolicyHashIsTheConsentPackages(t *testing.T) {
	for _, c := range consenttest.Cases(7, 200) {
		line := consent.AppendPolicy(nil, &c.Policy)
		if got, want := string(appendPolicyHash(nil, line)), string(c.Policy.AppendHash(nil)); got != want {
			t.Fatalf("hash of %q = %s, want %s", line, got, want)
		}
	}
}

func TestCMPAnswersBeforeThePolicy(t *testing.T) {
	h := newConsentHarness(t)
	tc := "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA.YAAAAAAAAAAA"
	p1p8 := strconv.Itoa(1<<0 | 1<<7)
	h.feed(t0+5, rec(RecordTCF, "1", "cmpuishown", "0", "0", ""), page("https://example.com/"))
	h.feed(t0+10, rec(RecordTCF, "1", "useractioncomplete", p1p8, "0", tc))
	p := sitePolicy(consent.BasisConsent)
	p.Authority = consent.SourceTCF
	h.feed(t0+20, rec(RecordPolicy, policyBody(p, fr)))
	if h.loads != 1 {
		t.Fatalf("TCF P1+P8 on a consent-basis site: %d loads, want 1 (T3 without waiting)", h.loads)
	}
	h.feed(t0+30, rec(RecordUID, ""), hide)
	b := h.sent[0].batch
	if b.tier != "T3" || len(b.events) != 2 || b.events[1].method != "tcf" || b.events[1].evidence != tc {
		t.Fatalf("batch %+v", b)
	}
	// Purpose 1 refused later: no storage, the id goes.
	h.feed(t0+40, rec(RecordTCF, "1", "useractioncomplete", strconv.Itoa(1<<7), "0", tc))
	if len(h.stores) != 2 || h.stores[1] != "" {
		t.Errorf("stores %q: want the id removed when P1 is refused", h.stores)
	}
}

func TestNoAuthorityDecidesAtOnce(t *testing.T) {
	p := sitePolicy(consent.BasisExempt)
	p.Authority = consent.SourceNone
	h := withPolicyHarness(t, p, us)
	h.feed(t0+1, page("https://example.com/"))
	if h.loads != 1 {
		t.Errorf("US, no authority: %d loads, want 1 (T3 by the opt-out default)", h.loads)
	}
}

func TestConsentModeFromTheDataLayer(t *testing.T) {
	p := sitePolicy(consent.BasisConsent)
	p.Authority = consent.SourceGCM
	h := withPolicyHarness(t, p, fr)
	h.feed(t0+1, rec(RecordGCM, "default", "analytics_storage", "denied", "region", "FR,DE"), page("https://example.com/"))
	h.feed(t0+2, rec(RecordGCM, "update", "analytics_storage", "granted"))
	if h.loads != 1 {
		t.Fatalf("Consent Mode update granting analytics_storage: %d loads", h.loads)
	}
	h.feed(t0+3, rec(RecordUID, ""), hide)
	if b := h.sent[0].batch; b.tier != "T3" || b.events[1].method != "gcm" {
		t.Errorf("batch %+v", b)
	}
}

func TestSteadyStateAtT3DoesNotAllocate(t *testing.T) {
	var tr Tracker
	tr.Send = func([]byte, int) {}
	tr.Store = func([]byte) {}
	tr.Feed(append(rec(RecordInit, testSite, testSeed+testSeedT3), rec(RecordPolicy, policyBody(sitePolicy(consent.BasisExempt), fr))...), t0)
	tr.Feed(append(append([]byte(nil), grant...), rec(RecordUID, "")...), t0+1)
	feed := append(page("https://example.com/a/b?c"), custom("signup", "plan", "pro")...)
	now := t0 + 1000
	tr.Feed(feed, now)
	if tr.consent.dec.Tier != consent.T3 || tr.consent.uidState != uidLoaded {
		t.Fatalf("not at T3 with an id: %v, %d", tr.consent.dec.Tier, tr.consent.uidState)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		now += 100
		tr.Feed(feed, now)
	})
	if allocs != 0 {
		t.Errorf("Feed allocates %.1f times per call at T3", allocs)
	}
}

func TestGPPOptOutDeniesMarketing(t *testing.T) {
	p := sitePolicy(consent.BasisExempt)
	p.Authority = consent.SourceGPP
	h := withPolicyHarness(t, p, us)
	h.feed(t0+1, rec(RecordGPP, "not ready", "1", "1", "1", "", "DBAB"), page("https://example.com/"))
	if h.loads != 0 {
		t.Fatalf("decided on a GPP signal that is not ready")
	}
	h.feed(t0+2, rec(RecordGPP, "ready", "1", "2", "2", "", "DBABLA~BVQqAAAAAg"))
	h.feed(t0+3, rec(RecordUID, ""), hide)
	b := h.sent[0].batch
	if strings.Contains(b.flags, "m") || b.signals == "" {
		t.Errorf("US visitor who opted out of sale: flags %q signals %q", b.flags, b.signals)
	}
	if ev := b.events[len(b.events)-1]; ev.kind != "consent" || ev.method != "gpp" || ev.evidence != "DBABLA~BVQqAAAAAg" {
		t.Errorf("consent event %+v", ev)
	}
}

func TestGPCFromTheNavigatorObjects(t *testing.T) {
	h := withPolicyHarness(t, sitePolicy(consent.BasisExempt), fr)
	h.feed(t0+1, rec(RecordNav, "1", ""), page("https://example.com/"), hide)
	if b := h.sent[0].batch; b.tier != "T1" || h.loads != 0 {
		t.Errorf("EU visitor with GPC: tier %s, %d loads; want T1 and no storage", b.tier, h.loads)
	}
}

// TestBannerSource: crumbless('consent', {source: 'banner', ...}) is the
// built-in banner's choice (SourceBanner); any other source, or none, is
// the site's own code (SourceAPI). With the banner authoritative, only the
// banner's choice ends the wait.
func TestBannerSource(t *testing.T) {
	p := sitePolicy(consent.BasisConsent)
	p.Authority = consent.SourceBanner
	h := withPolicyHarness(t, p, fr)
	h.feed(t0+10, rec(RecordConsent, "source", "api", "measurement", "granted"), page("https://example.com/"))
	s := &h.tr.consent.signals
	if s.Choices[consent.SourceAPI].States[consent.Measurement] != consent.Granted ||
		s.Choices[consent.SourceBanner].States[consent.Measurement] != consent.Unset {
		t.Fatalf("source api: %+v", s.Choices)
	}
	if h.tr.consent.decided {
		t.Fatalf("the API's choice ended the wait for the banner")
	}
	h.feed(t0+20, rec(RecordConsent, "measurement", "granted", "source", "banner", "marketing", "denied"))
	b := s.Choices[consent.SourceBanner]
	if b.States[consent.Measurement] != consent.Granted || b.States[consent.Marketing] != consent.Denied || b.At != t0+20 {
		t.Fatalf("source banner: %+v", b)
	}
	if !h.tr.consent.decided || h.tr.consent.dec.Tier != consent.T2 {
		t.Fatalf("after the banner's choice: decided %v, %+v", h.tr.consent.decided, h.tr.consent.dec)
	}
	h.feed(t0+30, rec(RecordConsent, "source", "bannerx", "analytics", "granted"))
	if s.Choices[consent.SourceAPI].States[consent.Analytics] != consent.Granted ||
		s.Choices[consent.SourceBanner].States[consent.Analytics] != consent.Unset {
		t.Fatalf("another source value: %+v", s.Choices)
	}
}

// TestConsentModeHeldForThePolicy: the loader feeds the Consent Mode
// commands it held right after the policy record, in the same feed; the
// first decision includes them (a regional denial included), so no event
// goes out under a decision that ignored them. A command before the
// policy, whose region is not known yet, is ignored.
func TestConsentModeHeldForThePolicy(t *testing.T) {
	h := newConsentHarness(t)
	h.feed(t0, page("https://example.com/"), rec(RecordGCM, "default", "ad_storage", "granted"))
	if h.tr.consent.gcm.States() != (consent.GCMStates{}) {
		t.Fatalf("a command before the policy applied: %v", h.tr.consent.gcm.States())
	}
	p := sitePolicy(consent.BasisExempt)
	p.Authority = consent.SourceNone
	h.feed(t0+10, rec(RecordPolicy, policyBody(p, us)),
		rec(RecordGCM, "default", "analytics_storage", "granted"),
		rec(RecordGCM, "default", "analytics_storage", "denied", "region", "US-CA"))
	h.feed(t0+20, hide)
	if h.loads != 0 || len(h.sent) != 1 || h.sent[0].batch.tier != "T2" {
		t.Fatalf("US-CA with analytics_storage denied by a regional default: %d loads, %+v", h.loads, h.sent)
	}
}
