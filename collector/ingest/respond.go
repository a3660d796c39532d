package ingest

import (
	"errors"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/spool"
)

// spoolFullRetryAfter is the Retry-After, in seconds, of a spool_full
// answer: long enough for a sink to catch up on some of its backlog.
const spoolFullRetryAfter = "10"

// maxLogged bounds how much of a client-sent value reaches a log line.
const maxLogged = 100

// exposed are the response headers a page may read cross-origin: the
// loader reads Retry-After to time its retry.
const exposed = ReasonHeader + ", " + fasthttp.HeaderRetryAfter

// accept answers an accepted batch: 202, readable by the sending page.
func accept(ctx *fasthttp.RequestCtx) {
	if origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin); len(origin) > 0 {
		ctx.Response.Header.SetBytesV(fasthttp.HeaderAccessControlAllowOrigin, origin)
		ctx.Response.Header.Set(fasthttp.HeaderVary, fasthttp.HeaderOrigin)
	}
	ctx.SetStatusCode(fasthttp.StatusAccepted)
}

// preflight answers OPTIONS /e for any origin: the batch itself is checked
// against the site's origins when it comes.
func preflight(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	if origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin); len(origin) > 0 {
		h.SetBytesV(fasthttp.HeaderAccessControlAllowOrigin, origin)
		h.Set(fasthttp.HeaderVary, fasthttp.HeaderOrigin)
	} else {
		h.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	}
	h.Set(fasthttp.HeaderAccessControlAllowMethods, "POST")
	h.Set(fasthttp.HeaderAccessControlAllowHeaders, "Content-Type")
	h.Set(fasthttp.HeaderAccessControlMaxAge, "86400")
	ctx.SetStatusCode(fasthttp.StatusNoContent)
}

// reject refuses the request with reason: the status for it, the reason in
// a header and as the body, readable cross-origin so the tracker can tell
// a refusal (drop the batch) from a network error (retry). It counts the
// reason and logs it through the throttle. site is logged when known.
func (h *Handler) reject(ctx *fasthttp.RequestCtx, reason, detail string, site []byte) {
	h.counters.rejectedCounter(reason).Inc()
	respond(ctx, status(reason), reason)
	h.logRejection(ctx, reason, detail, site)
}

// fail answers a batch the sink could not store: 503, retry later. A
// spool whose disk budget is spent answers spool_full.
func (h *Handler) fail(ctx *fasthttp.RequestCtx, err error) {
	if errors.Is(err, spool.ErrFull) {
		h.counters.spoolFull.Inc()
		ctx.Response.Header.Set(fasthttp.HeaderRetryAfter, spoolFullRetryAfter)
		respond(ctx, fasthttp.StatusServiceUnavailable, ReasonSpoolFull)
		if ok, n := h.throttle.allow(ReasonSpoolFull, h.cfg.Now()); ok {
			h.cfg.Logger.Warn("the spool's disk budget is spent; refusing batches until the sinks catch up", "suppressed", n)
		}
		return
	}
	h.counters.failedBatch.Inc()
	ctx.Response.Header.Set(fasthttp.HeaderRetryAfter, "5")
	respond(ctx, fasthttp.StatusServiceUnavailable, ReasonWriteFailed)
	if ok, n := h.throttle.allow(ReasonWriteFailed, h.cfg.Now()); ok {
		h.cfg.Logger.Error("storing a batch failed", "err", err, "suppressed", n)
	}
}

func respond(ctx *fasthttp.RequestCtx, status int, reason string) {
	ctx.Response.Header.Set(ReasonHeader, reason)
	ctx.Response.Header.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	ctx.Response.Header.Set(fasthttp.HeaderAccessControlExposeHeaders, exposed)
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetStatusCode(status)
	ctx.SetBodyString(reason)
}

// logRejection logs at most one line per reason per LogEvery, with how many
// were held back. It never logs the IP address or the User-Agent.
func (h *Handler) logRejection(ctx *fasthttp.RequestCtx, reason, detail string, site []byte) {
	ok, suppressed := h.throttle.allow(reason, h.cfg.Now())
	if !ok {
		return
	}
	origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin)
	h.cfg.Logger.Warn("batch rejected",
		"reason", reason,
		"detail", detail,
		"site", string(site[:min(len(site), maxLogged)]),
		"origin", string(origin[:min(len(origin), maxLogged)]),
		"suppressed", suppressed)
}
