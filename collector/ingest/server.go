package ingest

import (
	"bytes"
	"crypto/subtle"
	"net"
	"net/netip"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

// A server send is a batch from one of the site's servers (sdk/client),
// authenticated by the site's secret instead of a page's Origin. The server
// may forward its visitor's IP address and User-Agent, which then stand in
// for the request's own, for the visitor id, the region and the browser
// classes, and, as for pages, go no further.
const (
	HeaderVisitorIP = "X-Crumbless-Visitor-IP"
	HeaderVisitorUA = "X-Crumbless-Visitor-UA"
)

// Reasons a server send is refused.
const (
	ReasonBadSecret    = "bad_secret"     // 401: a bearer token, or visitor headers, without the site's secret
	ReasonBadVisitorIP = "bad_visitor_ip" // 400: X-Crumbless-Visitor-IP is not an IP address
)

func init() {
	statusOf[ReasonBadSecret] = fasthttp.StatusUnauthorized
	statusOf[ReasonBadVisitorIP] = fasthttp.StatusBadRequest
}

// sender is whom a batch's visitor fields come from.
type sender struct {
	server bool
	ip     net.IP // nil when a server send names none
	ua     []byte
	// hdr holds the region headers to trust: the request's for a page,
	// none for a server send (they would give the server's location).
	hdr *fasthttp.RequestHeader
}

// identify fills w.who: a page, or a server send whose bearer token is the
// site's secret. A bearer token, or visitor headers, without the right
// secret are refused.
func (h *Handler) identify(ctx *fasthttp.RequestCtx, w *work, b *wire.Batch, s *site.Site) bool {
	hdr := &ctx.Request.Header
	token, bearer := bearerToken(hdr.Peek(fasthttp.HeaderAuthorization))
	ip, ua := hdr.Peek(HeaderVisitorIP), hdr.Peek(HeaderVisitorUA)
	if !bearer && len(ip) == 0 && len(ua) == 0 {
		w.whoIP = w.client.As16()
		w.who = sender{ip: w.whoIP[:], ua: ctx.UserAgent(), hdr: hdr}
		return true
	}
	if !bearer || !secretMatches(s, token) {
		ctx.Response.Header.Set(fasthttp.HeaderWWWAuthenticate, `Bearer realm="crumbless"`)
		h.reject(ctx, ReasonBadSecret, "a server send without the site's secret", b.Site)
		return false
	}
	w.who = sender{server: true, ua: ua, hdr: &w.blank}
	if len(ip) == 0 {
		return true
	}
	addr, err := netip.ParseAddr(string(ip))
	if err != nil {
		h.reject(ctx, ReasonBadVisitorIP, "the forwarded visitor address is not an IP address", b.Site)
		return false
	}
	w.whoIP = addr.As16()
	w.who.ip = w.whoIP[:]
	return true
}

// secretMatches compares token with the site's secret in constant time
// (for a given length). A site without a secret matches nothing.
func secretMatches(s *site.Site, token []byte) bool {
	return len(s.Secret) > 0 && subtle.ConstantTimeCompare(token, s.Secret) == 1
}

// bearerToken returns the token of an "Authorization: Bearer <token>"
// value; the scheme is case-insensitive.
func bearerToken(v []byte) ([]byte, bool) {
	const scheme = "bearer "
	if len(v) < len(scheme) || !bytes.EqualFold(v[:len(scheme)], []byte(scheme)) {
		return nil, false
	}
	return bytes.TrimSpace(v[len(scheme):]), true
}
