package ingest

import (
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// Handle serves POST /e, and answers its OPTIONS preflight. Batches are
// sent as text/plain, which needs no preflight, but a sender that sets
// another content type gets a polite answer.
func (h *Handler) Handle(ctx *fasthttp.RequestCtx) {
	switch {
	case ctx.IsPost():
		h.post(ctx)
	case ctx.IsOptions():
		preflight(ctx)
	default:
		ctx.Response.Header.Set(fasthttp.HeaderAllow, "POST, OPTIONS")
		h.reject(ctx, ReasonMethodNotAllowed, "only POST sends batches", nil)
	}
}

// HandleReadError answers a request that fasthttp could not read; the
// collector calls it from fasthttp.Server.ErrorHandler for /e. A body over
// the limit is refused like any batch: 413 body_too_large, counted, logged.
func (h *Handler) HandleReadError(ctx *fasthttp.RequestCtx, err error) {
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		h.reject(ctx, ReasonBodyTooLarge, "body over the limit", nil)
		return
	}
	ctx.Error("cannot read request", fasthttp.StatusBadRequest)
}

func (h *Handler) post(ctx *fasthttp.RequestCtx) {
	body := ctx.PostBody()
	switch {
	case len(body) == 0:
		h.reject(ctx, ReasonEmptyBody, "no body", nil)
		return
	case len(body) > h.cfg.MaxBodyBytes:
		h.reject(ctx, ReasonBodyTooLarge, "body over the limit", nil)
		return
	}
	w := h.acquireWork()
	defer func() {
		if w != nil {
			h.releaseWork(w)
		}
	}()
	w.client = h.cfg.ClientIP.Resolve(ctx.RemoteIP(), ctx.Request.Header.Peek(fasthttp.HeaderXForwardedFor))
	if !h.allowNetwork(ctx, w.client) {
		return
	}
	b, ok := h.parse(ctx, w, body)
	if !ok {
		return
	}
	s, ok := h.admit(ctx, w, b)
	if !ok {
		return
	}
	now := h.cfg.Now()
	if !h.dedupe(ctx, w, b, now) {
		return
	}
	v := h.decide(ctx, b, s, &w.who)
	if err := h.record(ctx, w, b, s, &v, now.UnixMilli()); err != nil {
		h.forget(w, b, false)
		h.fail(ctx, err)
		return
	}
	ack, err := h.store(ctx, w, b, s, &v, now)
	if err != nil {
		h.forget(w, b, true)
		h.fail(ctx, err)
		return
	}
	// Wait for the rows' fsync without holding w: what the wait needs is
	// copied out, and w goes back to the pool warm for the next request
	// (on one core, the requests waiting on a group's fsync would
	// otherwise each keep a work of their own, cold by its turn).
	var kept keptKeys
	kept.save(w, b)
	h.releaseWork(w)
	w, b = nil, nil
	if ack != nil {
		if err := ack.Wait(); err != nil {
			h.forgetKept(&kept, true)
			h.fail(ctx, err)
			return
		}
	}
	h.commitKept(&kept)
	h.counters.acceptedBatch.Inc()
	h.counters.acceptedEvents.Add(kept.events)
	accept(ctx)
}

// store writes the batch's rows, unless the decision is T0: then its
// events are dropped and counted, and the batch is still accepted (the
// page must not retry it). With a spool (a sink.Queuer) the rows are
// queued and the returned Ack says when they are durable; otherwise they
// are durable on return and the Ack is nil.
func (h *Handler) store(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch, s *site.Site, v *verdict, now time.Time) (sink.Ack, error) {
	n := rowEvents(b)
	if n == 0 {
		return nil, nil
	}
	if v.eff.Tier == consent.T0 {
		h.counters.droppedT0.Add(n)
		return nil, nil
	}
	if s.DropBots && h.cfg.Agents.Classify(w.who.ua).Device == enrich.DeviceBot {
		h.counters.droppedBots.Add(n)
		return nil, nil
	}
	h.buildRows(ctx, w, b, s, v, now)
	if err := h.storeHeatmaps(ctx, w, b, &w.rc); err != nil {
		return nil, err
	}
	if w.batch.Events == 0 { // heatmap events only
		return nil, nil
	}
	if q, ok := h.cfg.Sink.(sink.Queuer); ok {
		return q.Queue(ctx, &w.batch)
	}
	return nil, h.cfg.Sink.Append(ctx, &w.batch)
}

// parse decompresses and parses body, or rejects it.
func (h *Handler) parse(ctx *fasthttp.RequestCtx, w *work, body []byte) (*wire.Batch, bool) {
	decoded, err := h.decompress(w, body)
	switch {
	case err == errTooLarge:
		h.reject(ctx, ReasonDecodedTooLarge, "batch over the limit once decompressed", nil)
		return nil, false
	case err != nil:
		h.reject(ctx, ReasonBadCompression, err.Error(), nil)
		return nil, false
	}
	b, err := w.parser.Parse(decoded)
	if err != nil {
		var werr *wire.Error
		if !errors.As(err, &werr) {
			werr = &wire.Error{Reason: wire.ReasonBadJSON, Detail: err.Error()}
		}
		h.reject(ctx, werr.Reason, werr.Detail, nil)
		return nil, false
	}
	return b, true
}

// admit checks the batch's site and the request's origin, or rejects it;
// a batch from one of the site's excluded networks is acknowledged (204)
// and goes no further.
func (h *Handler) admit(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch) (*site.Site, bool) {
	s, ok := h.cfg.Sites.Lookup(b.Site)
	if !ok {
		h.reject(ctx, ReasonUnknownSite, "no such site", b.Site)
		return nil, false
	}
	if wait := h.cfg.SiteRates[string(b.Site)].Allow(h.cfg.Now()); wait > 0 {
		h.limited(ctx, ReasonSiteRateLimited, wait, b.Site)
		return nil, false
	}
	if !h.identify(ctx, w, b, s) {
		return nil, false
	}
	origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin)
	switch {
	case w.who.server: // authenticated by the site's secret: no Origin needed
	case len(origin) == 0 && !h.cfg.AllowMissingOrigin:
		h.reject(ctx, ReasonOriginMissing, "no Origin header", b.Site)
		return nil, false
	case len(origin) > 0 && !s.Allows(origin):
		h.reject(ctx, ReasonOriginNotAllowed, "origin not listed for the site", b.Site)
		return nil, false
	}
	if h.excluded(ctx, s, w.who.ip) {
		return nil, false
	}
	return s, true
}

// buildRows fills w.batch with one row per event but consent events, at
// the effective tier. The IP address and the User-Agent are read here,
// turned into a visitor id and classes, and go no further.
func (h *Handler) buildRows(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch, s *site.Site, v *verdict, now time.Time) {
	tier := v.eff.Tier
	ua := w.who.ua
	rc := &w.rc
	*rc = row.Context{Site: b.Site, SentAt: b.SentAt, ReceivedAt: now.UnixMilli(), Tier: tier,
		QueryAllowlist: s.Consent.QueryAllowlist, PathRedactions: s.Consent.PathRedactions}
	if v.eff.Reasons != 0 {
		w.reasons = v.eff.Reasons.AppendNames(w.reasons[:0])
		rc.Reasons = w.reasons
	}
	if tier >= consent.T3 {
		rc.UID = b.UID
	}
	if tier.AllowsVisitorKey() && w.who.ip != nil {
		w.visitor = h.cfg.Keyer.AppendVisitorID(w.visitor[:0], b.Site, w.clientIP(w.who.ip), ua)
		rc.VisitorID = w.visitor
	}
	agent := h.cfg.Agents.Classify(ua)
	rc.Browser, rc.OS, rc.Device = agent.Browser, agent.OS, agent.Device
	rc.Marketing, rc.Automated, rc.Server = v.eff.Marketing, b.Automated, w.who.server
	if addr, ok := netip.AddrFromSlice(w.who.ip); ok {
		rc.Datacenter = h.cfg.Datacenters.Contains(addr)
	}
	rc.Marks = h.marks(w, b, s)
	heat := h.markMouse(w, b, s.FlagBots, agent.Device == enrich.DeviceBot, rc)
	w.rows = row.AppendRows(w.rows[:0], b, rc)
	w.batch = sink.Record{Site: b.Site, ReceivedAt: now, Rows: w.rows, Events: rowEvents(b) - heat}
}

// v4InV6Prefix is ::ffff:0:0/96, the prefix of IPv4-mapped IPv6 addresses.
var v4InV6Prefix = [12]byte{10: 0xff, 11: 0xff}

// clientIP returns ip in its 16-byte form, so that a visitor hashes the
// same over IPv4 and IPv4-mapped IPv6, without allocating.
func (w *work) clientIP(ip net.IP) []byte {
	if v4 := ip.To4(); v4 != nil {
		copy(w.ip[:12], v4InV6Prefix[:])
		copy(w.ip[12:], v4)
		return w.ip[:]
	}
	copy(w.ip[:], ip)
	return w.ip[:]
}
