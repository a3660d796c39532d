package assets

import (
	"bytes"

	"github.com/valyala/fasthttp"
)

// Serve answers GET and HEAD for an asset's path and reports true, or
// reports false, having written nothing, when path is not an asset.
func (h *Handler) Serve(ctx *fasthttp.RequestCtx, path []byte) bool {
	a, ok := h.byPath[string(path)]
	if !ok {
		return false
	}
	hdr := &ctx.Response.Header
	hdr.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	hdr.Set(fasthttp.HeaderVary, fasthttp.HeaderAcceptEncoding)
	hdr.Set(fasthttp.HeaderCacheControl, a.cacheControl)
	if !ctx.IsGet() && !ctx.IsHead() {
		hdr.Set(fasthttp.HeaderAllow, "GET, HEAD")
		ctx.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
		return true
	}
	v, encoding := a.pick(ctx.Request.Header.Peek(fasthttp.HeaderAcceptEncoding))
	hdr.Set(fasthttp.HeaderETag, v.etag)
	if encoding != "" {
		hdr.Set(fasthttp.HeaderContentEncoding, encoding)
	}
	if matches(ctx.Request.Header.Peek(fasthttp.HeaderIfNoneMatch), v.etag) {
		ctx.SetStatusCode(fasthttp.StatusNotModified)
		return true
	}
	hdr.SetContentType(a.contentType)
	ctx.Response.SetBodyRaw(v.body) // shared and never modified
	return true
}

// pick returns the variant for an Accept-Encoding header: brotli, then
// gzip, then identity.
func (a *asset) pick(accept []byte) (*variant, string) {
	switch {
	case a.brotli != nil && accepts(accept, "br"):
		return a.brotli, "br"
	case a.gzip != nil && accepts(accept, "gzip"):
		return a.gzip, "gzip"
	}
	return &a.identity, ""
}

// accepts reports whether an Accept-Encoding header lists coding with a
// non-zero quality.
func accepts(header []byte, coding string) bool {
	for len(header) > 0 {
		var item []byte
		item, header, _ = bytes.Cut(header, []byte(","))
		name, params, _ := bytes.Cut(item, []byte(";"))
		if string(bytes.TrimSpace(name)) == coding {
			return !zeroQuality(params)
		}
	}
	return false
}

// zeroQuality reports whether parameters say q=0 (also 0.0, 0.00, 0.000).
func zeroQuality(params []byte) bool {
	q, ok := bytes.CutPrefix(bytes.TrimSpace(params), []byte("q="))
	return ok && len(bytes.Trim(q, "0.")) == 0 && len(q) > 0 && q[0] == '0'
}

// matches reports whether an If-None-Match header names etag, or is "*".
// Weak tags compare equal to strong ones, as If-None-Match requires.
func matches(header []byte, etag string) bool {
	for len(header) > 0 {
		var item []byte
		item, header, _ = bytes.Cut(header, []byte(","))
		item = bytes.TrimPrefix(bytes.TrimSpace(item), []byte("W/"))
		if string(item) == etag || string(item) == "*" {
			return true
		}
	}
	return false
}
