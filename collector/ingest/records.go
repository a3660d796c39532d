package ingest

import (
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// record writes one consent record per consent event of b. Records are
// written whatever the tier (a refusal is recorded too), before the rows,
// so that a failure fails the batch and the page retries it whole.
func (h *Handler) record(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch, s *site.Site, v *verdict, now int64) error {
	w.records = w.records[:0]
	for i := range b.Events {
		if e := &b.Events[i]; e.Kind == wire.KindConsent {
			w.records = append(w.records, h.recordInput(e, b, s, v, now))
		}
	}
	if len(w.records) == 0 || h.cfg.Records == nil { // nil: records are not kept (tests)
		return nil
	}
	return h.cfg.Records.Write(ctx, b.Site, w.records)
}

func (h *Handler) recordInput(e *wire.Event, b *wire.Batch, s *site.Site, v *verdict, now int64) record.Input {
	choice, ok := consent.ParseChoice(e.States)
	if !ok {
		h.counters.ignored[ignoredBadStates].Inc()
	}
	in := record.Input{
		EventID: e.ID, Region: v.region, Profile: v.edge.Profile,
		Policy: &s.Consent.Policy, PolicyHash: s.Consent.Hash,
		Method: e.Method, Choice: choice, ChoiceOK: ok, Evidence: e.Evidence,
		EvidenceCheck: record.CheckEvidence(e.Method, e.Evidence, h.cfg.Now(), s.Consent.Policy.ValidityDays),
		ClientTime:    row.EventTime(e.TS, b.SentAt, now),
	}
	if v.eff.Tier >= consent.T3 {
		in.Subject = b.UID
	}
	return in
}

// rowEvents counts the events of b that become rows.
func rowEvents(b *wire.Batch) int {
	n := 0
	for i := range b.Events {
		if b.Events[i].Kind != wire.KindConsent {
			n++
		}
	}
	return n
}
