package ingest

import (
	"net/netip"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/ratelimit"
)

// allowNetwork takes one request from the client's network, or refuses it
// with 429 rate_limited and a Retry-After. It runs before the body is
// decompressed or parsed, so that a flood costs as little as possible.
func (h *Handler) allowNetwork(ctx *fasthttp.RequestCtx, client netip.Addr) bool {
	if h.cfg.Networks == nil {
		return true
	}
	if wait := h.cfg.Networks.Allow(client, h.cfg.Now()); wait > 0 {
		h.limited(ctx, ReasonRateLimited, wait, nil)
		return false
	}
	return true
}

// limited refuses a request over a rate, telling the sender when to come
// back.
func (h *Handler) limited(ctx *fasthttp.RequestCtx, reason string, wait time.Duration, site []byte) {
	ctx.Response.Header.SetBytesV(fasthttp.HeaderRetryAfter, fasthttp.AppendUint(nil, ratelimit.RetryAfter(wait)))
	h.reject(ctx, reason, "over the rate limit", site)
}
