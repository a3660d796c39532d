package ingest

import (
	"bytes"
	"context"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// Recorder stores consent records; *record.Writer is one.
type Recorder interface {
	Write(ctx context.Context, site []byte, ins []record.Input) error
}

// verdict is the edge's consent decision for one batch.
type verdict struct {
	region consent.Region
	edge   consent.Decision // from what the edge knows
	eff    consent.Decision // Lower(the page's claim, edge)
}

// decide decides again at the edge: the batch's carried signals, with the
// request's Sec-GPC and DNT ORed in (both only deny, so merging is safe),
// the region resolved from this request, and the site's current policy,
// whatever policy the page decided with. The page's claim (tier, flags) is
// lowered to the edge's decision, never raised.
func (h *Handler) decide(ctx *fasthttp.RequestCtx, b *wire.Batch, s *site.Site, who *sender) verdict {
	sig := h.signals(b)
	hdr := &ctx.Request.Header
	sig.GPC = sig.GPC || consent.SecGPC(hdr.PeekAll("Sec-GPC")...)
	sig.DNT = sig.DNT || consent.DNTHeader(hdr.PeekAll("DNT")...)
	if len(b.Policy) > 0 && !bytes.Equal(b.Policy, s.Consent.Hash) {
		h.counters.policyStale.Inc()
	}
	v := verdict{region: h.cfg.Regions.Resolve(who.hdr, who.ip)}
	v.edge = consent.Decide(&s.Consent.Policy, &sig, v.region)
	claim, ok := h.claim(b)
	if !ok {
		v.eff = v.edge
		return v
	}
	v.eff = consent.Lower(claim, v.edge)
	if lowered(claim, v.eff) {
		v.eff.Reasons |= consent.ReasonClamped
		h.counters.countClamped(v.edge.Reasons, rowEvents(b))
	}
	return v
}

// signals parses the batch's carried signals; unreadable ones are counted
// and ignored (the edge then decides from the headers alone).
func (h *Handler) signals(b *wire.Batch) consent.Signals {
	if len(b.Signals) == 0 {
		return consent.Signals{}
	}
	sig, ok := consent.ParseSignals(b.Signals)
	if !ok {
		h.counters.ignored[ignoredBadSignals].Inc()
		return consent.Signals{}
	}
	return sig
}

// claim reads the page's decision: its tier and flags. A batch without a
// tier makes no claim.
func (h *Handler) claim(b *wire.Batch) (consent.Decision, bool) {
	if len(b.Tier) == 0 {
		return consent.Decision{}, false
	}
	tier, ok := consent.ParseTier(string(b.Tier))
	interaction, marketing, fok := consent.ParseFlags(b.Flags)
	if !ok || !fok {
		h.counters.ignored[ignoredBadClaim].Inc()
		return consent.Decision{}, false
	}
	return consent.Decision{Tier: tier, Interaction: interaction, Marketing: marketing}, true
}

// lowered reports whether eff takes anything away from claim.
func lowered(claim, eff consent.Decision) bool {
	return eff.Tier < claim.Tier || claim.Interaction && !eff.Interaction || claim.Marketing && !eff.Marketing
}

// Why a consent input was ignored; labels of crumbless_consent_ignored_total.
const (
	ignoredBadSignals = iota // signals the collector cannot read
	ignoredBadClaim          // a tier or flags it cannot read
	ignoredBadStates         // a consent event's states it cannot read
	numIgnored
)

var ignoredNames = [numIgnored]string{"bad_signals", "bad_claim", "bad_states"}

// consentCounters count what deciding again did.
type consentCounters struct {
	clamped     [64]*metrics.Counter // by reason bit
	clampedNone *metrics.Counter     // lowered, with no reason given
	droppedT0   *metrics.Counter
	droppedBots *metrics.Counter
	policyStale *metrics.Counter
	ignored     [numIgnored]*metrics.Counter
}

func (c *consentCounters) register(set *metrics.Set) {
	for i, name := range consent.ReasonNames() {
		if i < len(c.clamped) && name != "" {
			c.clamped[i] = set.NewCounter(`crumbless_events_clamped_total{reason="` + name + `"}`)
		}
	}
	// Lowered with no reason named: counted as CLAMPED.
	c.clampedNone = set.GetOrCreateCounter(`crumbless_events_clamped_total{reason="CLAMPED"}`)
	c.droppedT0 = set.NewCounter(`crumbless_events_dropped_total{reason="tier_t0"}`)
	c.droppedBots = set.NewCounter(`crumbless_events_dropped_total{reason="bot"}`)
	c.policyStale = set.NewCounter("crumbless_batches_policy_stale_total")
	for i, name := range ignoredNames {
		c.ignored[i] = set.NewCounter(`crumbless_consent_ignored_total{reason="` + name + `"}`)
	}
}

// countClamped adds n events to the counter of each reason in r.
func (c *consentCounters) countClamped(r consent.Reasons, n int) {
	counted := false
	for i, ctr := range c.clamped {
		if r&(1<<i) != 0 && ctr != nil {
			ctr.Add(n)
			counted = true
		}
	}
	if !counted {
		c.clampedNone.Add(n)
	}
}
