package core

import (
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
}

type parsedEvent struct {
	id, kind, path, referrer, title, viewport, lang, tz, name string
	method, states, evidence                                  string
	ts                                                        int64
	props                                                     [][2]string
}

type harness struct {
	t      testing.TB
	tr     Tracker
	sent   []sent
	loads  int      // SendLoadID calls
	stores []string // Store calls; "" is a removal
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
	body := append([]byte(nil), batch...)
	var p wire.Parser
	b, err := p.Parse(body)
	if err != nil {
		h.t.Fatalf("sent an invalid batch: %v\n%s", err, body)
	}
	h.sent = append(h.sent, sent{mode: mode, body: body, batch: copyBatch(b)})
}

func copyBatch(b *wire.Batch) parsedBatch {
	pb := parsedBatch{site: string(b.Site), sentAt: b.SentAt, tier: string(b.Tier), flags: string(b.Flags),
		signals: string(b.Signals), policy: string(b.Policy), uid: string(b.UID)}
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
	return h.tr.Feed(b, now)
}

// events returns every event sent so far, in order.
func (h *harness) events() []parsedEvent {
	var all []parsedEvent
	for _, s := range h.sent {
		all = append(all, s.batch.events...)
	}
	return all
}

func rec(kind byte, fields ...string) []byte { return AppendRecord(nil, kind, fields...) }

func page(href string) []byte {
	return rec(RecordPage, href, "", "Title", "1280", "en", "UTC")
}

func event(name string, kv ...string) []byte {
	return rec(RecordEvent, append([]string{name}, kv...)...)
}

var hide = rec(RecordHide)

// noPolicy is the policy record of an older collector (GET /c failed): the
// tracker sends without consent fields, as an ABI 1 tracker did.
var noPolicy = rec(RecordPolicy)

func long(s string, n int) string { return strings.Repeat(s, n) }
