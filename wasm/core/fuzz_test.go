package core

import (
	"testing"

	"github.com/crumbless/crumbless/consent"

	"github.com/crumbless/crumbless/sdk/wire"
)

// maxEncodedEvent bounds one encoded event: every byte of every field
// escaped to six (\u00XX), plus the keys and punctuation.
const maxEncodedEvent = 6*(wire.MaxIDLen+2*wire.MaxPathLen+wire.MaxTitleLen+4*wire.MaxShortLen+
	wire.MaxNameLen+wire.MaxProps*(wire.MaxPropKeyLen+wire.MaxPropValueLen)) + 1024

// FuzzFeed feeds arbitrary bytes after a valid init and checks that the
// tracker neither panics nor sends an invalid batch, and that its buffers
// stay bounded.
func FuzzFeed(f *testing.F) {
	f.Add([]byte{})
	f.Add(page("https://example.com/a?b#c"))
	f.Add(append(custom("signup", "plan", "pro"), hide...))
	f.Add(rec(RecordInit, "other", testSeed))
	f.Add([]byte{RecordPage, 6, 0xff, 0xff, 1})
	f.Add(rec(RecordClick, "https:", "other.example", "https://other.example/f.pdf", "", "cta", "id", "g", "ai", "k", "v"))
	f.Add(rec(RecordExperiment, "hero", "b", "hero", "b", "nav", "a"))
	f.Add(rec(RecordVitals, "1200", "80", "50", "700", "120"))
	f.Add(rec(RecordEvent, "\xed\xa0\x80", "\u2028<", "\x00\"\\"))
	f.Add(rec(RecordConsent, "measurement", "granted", "analytics", "granted"))
	f.Add(append(rec(RecordConsent, "analytics", "granted"), rec(RecordUID, "")...))
	f.Add(rec(RecordTCF, "1", "tcloaded", "129", "0", "CPXx"))
	f.Add(rec(RecordGPP, "ready", "1", "2", "2", "1", "DBABMA~1YNN"))
	f.Add(rec(RecordGCM, "default", "analytics_storage", "granted", "region", "FR,US-CA"))
	f.Add(AppendSignalsRecord(nil, &consent.Signals{GPC: true, Choices: [consent.NumSources]consent.Choice{consent.SourceAPI: {At: 1}}}))
	f.Add(rec(RecordConsent, "withdraw"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := newHarness(t)
		if len(data) > 0 && data[0]&1 == 1 { // a site with a policy: consent records count
			h = newConsentHarness(t)
			h.feed(t0, rec(RecordPolicy, policyBody(sitePolicy(consent.BasisExempt), fr)))
		}
		for i := 0; i < 3; i++ {
			h.feed(t0+int64(i)*1000, data)
		}
		h.feed(t0+10_000, nil)
		h.feed(t0+10_001, data)
		h.feed(t0+10_002, hide)
		const bound = 2 * (MaxQueueBytes + maxEncodedEvent + wire.MaxSiteLen*6 + 100)
		if cap(h.tr.queue) > bound || cap(h.tr.batch) > bound {
			t.Fatalf("buffers grew to %d and %d bytes, bound %d", cap(h.tr.queue), cap(h.tr.batch), bound)
		}
		for _, s := range h.sent {
			if len(s.batch.events) > MaxQueueEvents {
				t.Fatalf("batch of %d events", len(s.batch.events))
			}
		}
		if h.tr.queued != 0 {
			t.Fatalf("%d events left after hide", h.tr.queued)
		}
	})
}
