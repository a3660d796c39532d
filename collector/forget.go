package collector

import (
	"encoding/json"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/erasure"
	"github.com/crumbless/crumbless/collector/ratelimit"
)

// maxForgetBody bounds POST /forget's body: "site=ID" and little more.
const maxForgetBody = 1024

// forget serves POST /forget: a visitor asks, from the site's own pages,
// that the rows the collector holds of them be erased. The site id comes
// in the query (?site=ID) or the body (site=ID, form-encoded or plain
// text); the Origin must be one of the site's, as for /e. The edge
// recomputes the visitor's ids of today and yesterday from the request's
// client address and User-Agent, exactly as ingest does, and stores a
// durable erasure request holding only the site and those ids (never the
// address or the User-Agent); the serve process applies it within a
// minute, and again until the files being written when it came are
// complete (upkeep.go). It answers 202 with a JSON body. A visitor whose
// address or browser changed since gets other ids: rows under the old ones
// stay (they no longer identify them to the collector either).
func (s *Server) forget(ctx *fasthttp.RequestCtx) {
	switch {
	case ctx.IsOptions():
		allowOrigin(ctx)
		ctx.Response.Header.Set(fasthttp.HeaderAccessControlAllowMethods, "POST")
		ctx.Response.Header.Set(fasthttp.HeaderAccessControlAllowHeaders, "Content-Type")
		ctx.SetStatusCode(fasthttp.StatusNoContent)
		return
	case !ctx.IsPost():
		ctx.Response.Header.Set(fasthttp.HeaderAllow, "POST, OPTIONS")
		s.forgetAnswer(ctx, fasthttp.StatusMethodNotAllowed, "method_not_allowed")
		return
	}
	now := s.cfg.Now()
	client := s.clients.Resolve(ctx.RemoteIP(), ctx.Request.Header.Peek(fasthttp.HeaderXForwardedFor))
	if wait := s.networks.Allow(client, now); wait > 0 {
		ctx.Response.Header.SetBytesV(fasthttp.HeaderRetryAfter, fasthttp.AppendUint(nil, ratelimit.RetryAfter(wait)))
		s.forgetAnswer(ctx, fasthttp.StatusTooManyRequests, "rate_limited")
		return
	}
	id, reason := s.forgetSite(ctx)
	if reason != "" {
		s.forgetAnswer(ctx, forgetStatus[reason], reason)
		return
	}
	ip := client.As16()
	today, yesterday := s.keyer.VisitorIDs(id, ip[:], ctx.UserAgent())
	if today == "" {
		s.forgetAnswer(ctx, fasthttp.StatusServiceUnavailable, "no_salt")
		return
	}
	req := erasure.Request{Site: string(id), Kind: erasure.KindVisitor, IDs: []string{today}, Received: now.UnixMilli()}
	if yesterday != "" {
		req.IDs = append(req.IDs, yesterday)
	}
	if err := erasure.WriteRequest(s.cfg.DataDir, req); err != nil {
		s.log.Error("storing an erasure request", "site", req.Site, "err", err)
		s.forgetAnswer(ctx, fasthttp.StatusInternalServerError, "not_stored")
		return
	}
	s.forgetAnswer(ctx, fasthttp.StatusAccepted, "accepted")
}

// forgetStatus is the status of each refusal forgetSite gives.
var forgetStatus = map[string]int{
	"missing_site":       fasthttp.StatusBadRequest,
	"unknown_site":       fasthttp.StatusNotFound,
	"origin_missing":     fasthttp.StatusForbidden,
	"origin_not_allowed": fasthttp.StatusForbidden,
}

// forgetSite returns the site id of a /forget request once the site is
// known and the Origin is one of its own (a missing Origin only in demo
// mode), or the reason it is refused.
func (s *Server) forgetSite(ctx *fasthttp.RequestCtx) (id []byte, reason string) {
	id = ctx.QueryArgs().Peek("site")
	if body := ctx.PostBody(); len(id) == 0 && len(body) <= maxForgetBody {
		var args fasthttp.Args
		args.ParseBytes(body)
		id = append([]byte(nil), args.Peek("site")...)
	}
	if len(id) == 0 {
		return nil, "missing_site"
	}
	st, ok := s.sites.Lookup(id)
	if !ok {
		return nil, "unknown_site"
	}
	origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin)
	switch {
	case len(origin) == 0 && !s.cfg.Demo:
		return nil, "origin_missing"
	case len(origin) > 0 && !st.Allows(origin):
		return nil, "origin_not_allowed"
	}
	return id, ""
}

// forgetAnswer answers /forget with status and a JSON body
// {"status": reason}, readable by the page, and counts it by reason.
func (s *Server) forgetAnswer(ctx *fasthttp.RequestCtx, status int, reason string) {
	s.metrics.GetOrCreateCounter(`crumbless_forget_requests_total{result="` + reason + `"}`).Inc()
	allowOrigin(ctx)
	ctx.Response.Header.Set("X-Crumbless-Reason", reason)
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	ctx.SetContentType("application/json")
	ctx.SetStatusCode(status)
	body, _ := json.Marshal(struct {
		Status string `json:"status"`
	}{reason})
	ctx.SetBody(body)
}

// allowOrigin lets the requesting page read the answer.
func allowOrigin(ctx *fasthttp.RequestCtx) {
	if origin := ctx.Request.Header.Peek(fasthttp.HeaderOrigin); len(origin) > 0 {
		ctx.Response.Header.SetBytesV(fasthttp.HeaderAccessControlAllowOrigin, origin)
		ctx.Response.Header.Set(fasthttp.HeaderVary, fasthttp.HeaderOrigin)
		return
	}
	ctx.Response.Header.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
}
