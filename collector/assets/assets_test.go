package assets

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/sdk"
)

var (
	loader = []byte(strings.Repeat("console.log('crumbless loader');\n", 40))
	module = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{1, 2, 3, 4}, 500)...)
	tiny   = []byte("x")
	list   = []sdk.Asset{
		{Name: "crumbless.js", ContentType: "text/javascript; charset=utf-8", Body: loader},
		{Name: "tracker.0123456789ab.wasm", ContentType: "application/wasm", Body: module, Immutable: true},
		{Name: "tiny.txt", ContentType: "text/plain", Body: tiny},
	}
)

func newHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := New(list)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h *Handler, method, path string, headers ...string) (*fasthttp.RequestCtx, bool) {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(path)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	ok := h.Serve(ctx, ctx.Path())
	return ctx, ok
}

func TestServe(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		name, path, accept string
		encoding, cache    string
		contentType        string
		want               []byte
	}{
		{"loader, brotli preferred", "/crumbless.js", "gzip, deflate, br", "br", ShortCache, "text/javascript; charset=utf-8", loader},
		{"loader, gzip", "/crumbless.js", "gzip", "gzip", ShortCache, "text/javascript; charset=utf-8", loader},
		{"loader, brotli refused", "/crumbless.js", "br;q=0, gzip;q=0.5", "gzip", ShortCache, "text/javascript; charset=utf-8", loader},
		{"loader, identity", "/crumbless.js", "", "", ShortCache, "text/javascript; charset=utf-8", loader},
		{"module, brotli", "/tracker.0123456789ab.wasm", "br", "br", ImmutableCache, "application/wasm", module},
		{"module, identity", "/tracker.0123456789ab.wasm", "identity", "", ImmutableCache, "application/wasm", module},
		{"incompressible: identity only", "/tiny.txt", "br, gzip", "", ShortCache, "text/plain", tiny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, ok := get(h, "GET", tt.path, "Accept-Encoding", tt.accept)
			if !ok || ctx.Response.StatusCode() != 200 {
				t.Fatalf("served %v, status %d", ok, ctx.Response.StatusCode())
			}
			hdr := &ctx.Response.Header
			checkHeader(t, hdr, "Content-Encoding", tt.encoding)
			checkHeader(t, hdr, "Cache-Control", tt.cache)
			checkHeader(t, hdr, "Content-Type", tt.contentType)
			checkHeader(t, hdr, "Vary", "Accept-Encoding")
			checkHeader(t, hdr, "Access-Control-Allow-Origin", "*")
			if got := decode(t, tt.encoding, ctx.Response.Body()); !bytes.Equal(got, tt.want) {
				t.Errorf("body differs from the asset")
			}
		})
	}
}

func checkHeader(t *testing.T, hdr *fasthttp.ResponseHeader, name, want string) {
	t.Helper()
	if got := string(hdr.Peek(name)); got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch encoding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestETag(t *testing.T) {
	h := newHandler(t)
	ctx, _ := get(h, "GET", "/crumbless.js", "Accept-Encoding", "br")
	etag := string(ctx.Response.Header.Peek("ETag"))
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `-br"`) {
		t.Fatalf("ETag %q", etag)
	}
	plain, _ := get(h, "GET", "/crumbless.js")
	if string(plain.Response.Header.Peek("ETag")) == etag {
		t.Error("identity and brotli share an ETag")
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		ctx, _ := get(h, "GET", "/crumbless.js", "Accept-Encoding", "br", "If-None-Match", inm)
		if ctx.Response.StatusCode() != 304 || len(ctx.Response.Body()) != 0 {
			t.Errorf("If-None-Match %s: status %d", inm, ctx.Response.StatusCode())
		}
		checkHeader(t, &ctx.Response.Header, "ETag", etag)
	}
	ctx, _ = get(h, "GET", "/crumbless.js", "Accept-Encoding", "gzip", "If-None-Match", etag)
	if ctx.Response.StatusCode() != 200 {
		t.Errorf("a brotli ETag revalidated the gzip variant: status %d", ctx.Response.StatusCode())
	}
}

func TestHeadAndMethods(t *testing.T) {
	h := newHandler(t)
	ctx, ok := get(h, "HEAD", "/crumbless.js")
	// fasthttp sends the length of the body it was given, and no body, for
	// HEAD; the collector's server test checks the wire.
	if !ok || ctx.Response.StatusCode() != 200 || len(ctx.Response.Body()) != len(loader) {
		t.Errorf("HEAD: status %d, body %d bytes", ctx.Response.StatusCode(), len(ctx.Response.Body()))
	}
	ctx, ok = get(h, "POST", "/crumbless.js")
	if !ok || ctx.Response.StatusCode() != 405 {
		t.Errorf("POST: served %v, status %d", ok, ctx.Response.StatusCode())
	}
	if _, ok := get(h, "GET", "/nope.js"); ok {
		t.Error("served an unknown path")
	}
}

func TestNewRejects(t *testing.T) {
	for _, bad := range [][]sdk.Asset{
		{{Name: "", ContentType: "text/plain"}},
		{{Name: "a/b.js", ContentType: "text/plain"}},
		{{Name: "a.js"}},
		{{Name: "a.js", ContentType: "text/plain"}, {Name: "a.js", ContentType: "text/plain"}},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"gzip, br", "br", true},
		{"gzip,br", "br", true},
		{"br;q=0", "br", false},
		{"br; q=0.000", "br", false},
		{"br;q=0.1", "br", true},
		{"br;q=1", "br", true},
		{"brotli", "br", false},
		{"", "gzip", false},
		{"x-gzip", "gzip", false},
	}
	for _, tt := range tests {
		if got := accepts([]byte(tt.header), tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v", tt.header, tt.coding, got)
		}
	}
}
