package collector

import (
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/consent"
)

// policy serves GET /c?site=SITE, the page's consent policy and the
// visitor's region, as the loader reads them (README.md, "The /c
// contract"):
//
//	<consent.AppendPolicy of the site's policy>\n<consent.AppendRegion of the visitor's region>\n<consent.AppendProfileLetter of the region's profile>
//
// The profile is the policy's ProfileFor(region): the edge resolves it, so
// the page needs neither the region rules nor the built-in table.
// private (the region is the visitor's), cached five minutes, readable
// from any origin. An unknown site gets 404 with the reason unknown_site;
// in demo mode every well-formed site gets the default policy.
func (s *Server) policy(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	if !ctx.IsGet() && !ctx.IsHead() {
		h.Set(fasthttp.HeaderAllow, "GET, HEAD")
		policyError(ctx, fasthttp.StatusMethodNotAllowed, "method_not_allowed")
		return
	}
	st, ok := s.sites.Lookup(ctx.QueryArgs().Peek("site"))
	if !ok {
		policyError(ctx, fasthttp.StatusNotFound, "unknown_site")
		return
	}
	client := s.clients.Resolve(ctx.RemoteIP(), ctx.Request.Header.Peek(fasthttp.HeaderXForwardedFor)).As16()
	region := s.regions.Resolve(&ctx.Request.Header, client[:])
	ctx.SetContentType("text/plain; charset=utf-8")
	h.Set(fasthttp.HeaderCacheControl, "private, max-age=300")
	prof, _ := st.Consent.Policy.ProfileFor(region)
	var buf [10]byte
	ctx.Response.ResetBody()
	ctx.Response.AppendBody(st.Consent.Text)
	b := consent.AppendRegion(append(buf[:0], '\n'), region)
	ctx.Response.AppendBody(consent.AppendProfileLetter(append(b, '\n'), prof))
}

func policyError(ctx *fasthttp.RequestCtx, status int, reason string) {
	ctx.Response.Header.Set("X-Crumbless-Reason", reason)
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.SetStatusCode(status)
	ctx.SetBodyString(reason)
}
