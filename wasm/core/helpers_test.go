package core

import (
	"net/url"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/sdk/wire"
)

// testSeed is the init seed of every test tracker; its first 12 bytes in hex
// are testIDPrefix.
const (
	testSeed     = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xf0\xf1\xf2\xf3"
	testIDPrefix = "000102030405060708090a0b"
	testSite     = "example.com"
	t0           = int64(1_732_380_000_000)
	// testSeedT3 makes the seed 32 bytes: its last 16 make a new T3 id,
	// testUID.
	testSeedT3 = "\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf"
	testUID    = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
)

// sent is one call of Tracker.Send.
type sent struct {
	mode  int
	body  []byte
	batch parsedBatch
}

// parsedBatch is a deep copy of a wire.Batch (the Parser reuses its memory).
type parsedBatch struct {
	site                              string
	sentAt                            int64
	tier, flags, signals, policy, uid string
	events                            []parsedEvent
	leaves                            []parsedEvent // leave summaries
	automated                         bool
}

type parsedEvent struct {
	id, kind, path, referrer, title, viewport, lang, tz, name string
	method, states, evidence                                  string
	ts                                                        int64
	props                                                     [][2]string

	num, engaged, scroll, status int64 // num: a leave's duration
	url, form, click, clickID    string
	content                      [3]string
	utm                          [5]string
	vitals                       [5]int64
	exp                          [][2]string
}

type harness struct {
	t      testing.TB
	tr     Tracker
	sent   []sent
	loads  int      // SendLoadID calls
	stores []string // Store calls; "" is a removal
	now    int64    // the time of the feed running: the loader's sent_at
}

// newHarness returns a tracker that has had its init record, whose batches
// are checked with wire.Parser and recorded.
func newHarness(t testing.TB) *harness {
	h := newConsentHarness(t)
	h.feed(t0, noPolicy)
	return h
}

// newConsentHarness returns a tracker that has had its init record and
// waits for the policy.
func newConsentHarness(t testing.TB) *harness {
	h := &harness{t: t}
	h.tr.Send = h.send
	h.tr.Store = func(id []byte) { h.stores = append(h.stores, string(id)) }
	h.feed(t0, rec(RecordInit, testSite, testSeed+testSeedT3))
	return h
}

func (h *harness) send(batch []byte, mode int) {
	h.t.Helper()
	if mode == SendLoadID {
		if len(batch) != 0 {
			h.t.Fatalf("SendLoadID with a batch")
		}
		h.loads++
		return
	}
	body, err := BatchJSON(batch, h.now) // what the loader sends
	if err != nil {
		h.t.Fatalf("sent a malformed batch: %v\n%q", err, batch)
	}
	var p wire.Parser
	b, err := p.Parse(body)
	if err != nil {
		h.t.Fatalf("sent an invalid batch: %v\n%s", err, body)
	}
	h.sent = append(h.sent, sent{mode: mode, body: body, batch: copyBatch(b)})
}

func copyBatch(b *wire.Batch) parsedBatch {
	pb := parsedBatch{site: string(b.Site), sentAt: b.SentAt, tier: string(b.Tier), flags: string(b.Flags),
		signals: string(b.Signals), policy: string(b.Policy), uid: string(b.UID), automated: b.Automated}
	for _, e := range b.Events {
		pe := parsedEvent{
			id: string(e.ID), kind: e.Kind.String(), ts: e.TS, path: string(e.Path),
			referrer: string(e.Referrer), title: string(e.Title), viewport: string(e.Viewport),
			lang: string(e.Lang), tz: string(e.TZ), name: string(e.Name),
			method: string(e.Method), states: string(e.States), evidence: string(e.Evidence),
		}
		for _, p := range e.Props {
			pe.props = append(pe.props, [2]string{string(p.Key), string(p.Value)})
		}
		pe.num = *e.Numbers()[wire.NumberDuration] // leave: duration, engaged, scroll
		pe.engaged, pe.scroll = e.Engaged, e.Scroll
		pe.url, pe.form, pe.status = string(e.URL), string(e.Form), e.Status
		pe.content = [3]string{string(e.ContentID), string(e.ContentGroup), string(e.ContentOrigin)}
		pe.utm = [5]string{string(e.UTMSource), string(e.UTMMedium), string(e.UTMCampaign), string(e.UTMTerm), string(e.UTMContent)}
		pe.click, pe.clickID = string(e.Click), string(e.ClickID)
		pe.vitals = [5]int64{e.LCP, e.INP, e.CLS, e.FCP, e.TTFB}
		for _, p := range e.Exp {
			pe.exp = append(pe.exp, [2]string{string(p.Key), string(p.Value)})
		}
		if pe.kind == "leave" { // every hide adds one: tests of leave summaries look at leaves
			pb.leaves = append(pb.leaves, pe)
			continue
		}
		pb.events = append(pb.events, pe)
	}
	return pb
}

// feed feeds the concatenation of recs at time now.
func (h *harness) feed(now int64, recs ...[]byte) int32 {
	h.t.Helper()
	var b []byte
	for _, r := range recs {
		b = append(b, r...)
	}
	h.now = now
	return h.tr.Feed(b, now)
}

// events returns every event sent so far, in order, but the leave
// summaries every hide adds (leaves has them).
func (h *harness) events() []parsedEvent {
	var all []parsedEvent
	for _, s := range h.sent {
		all = append(all, s.batch.events...)
	}
	return all
}

// leaves returns every leave summary sent so far, in order.
func (h *harness) leaves() []parsedEvent {
	var all []parsedEvent
	for _, s := range h.sent {
		all = append(all, s.batch.leaves...)
	}
	return all
}

func rec(kind byte, fields ...string) []byte { return AppendRecord(nil, kind, fields...) }

// page is the page record the loader makes for href, as loaded, with the
// title "Title", a 1280 px viewport, language en and time zone UTC, and
// no query parameter kept in the path.
func page(href string) []byte { return pageHow(HowLoad, href, "") }

// pageHow is the page record of href come as how, with referrer.
func pageHow(how, href, referrer string) []byte {
	u, err := url.Parse(href)
	if err != nil {
		panic(err)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return rec(RecordPage, how, u.Hostname(), "", "1280", path, referrer, "Title", "en", "UTC")
}

func custom(name string, kv ...string) []byte {
	return rec(RecordEvent, append([]string{name}, kv...)...)
}

var hide = rec(RecordHide)

// noPolicy is the policy record of an older collector (GET /c failed): the
// tracker sends without consent fields, as an ABI 1 tracker did.
var noPolicy = rec(RecordPolicy)

func long(s string, n int) string { return strings.Repeat(s, n) }
