package ingest

import (
	"bytes"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/consent"
)

const (
	testSecret = "s3cr3t-0123456789abcdef0123456789abcdef"
	safariUA   = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

// withSecret gives example.com a secret.
func withSecret(c *Config) {
	s, _ := c.Sites.Lookup([]byte("example.com"))
	s.Secret = []byte(testSecret)
}

// serverSend posts body as a server would: from 10.1.2.3, with the given
// headers (name, value, ...), no Origin.
func (e *env) serverSend(body []byte, header ...string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod("POST")
	req.SetRequestURI("/e")
	req.Header.SetUserAgent("crumbless-go/1")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	req.SetBody(body)
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 40000}, nil)
	e.h.Handle(ctx)
	return ctx
}

// lastRow decodes the first row of the last batch the sink got.
func (e *env) lastRow(t *testing.T) map[string]any {
	t.Helper()
	if len(e.sink.batches) == 0 {
		t.Fatal("nothing stored")
	}
	rows := e.sink.batches[len(e.sink.batches)-1].Rows
	var r map[string]any
	if err := json.Unmarshal(rows[:bytes.IndexByte(rows, '\n')], &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestServerSendForwardsTheVisitor(t *testing.T) {
	e := newEnv(t, withSecret)
	ctx := e.do("POST", batchJSON("example.com", 1), testOrigin) // the visitor's page: from testIP, with testUA
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("page: %d", ctx.Response.StatusCode())
	}
	page := e.lastRow(t)
	ctx = e.serverSend(idsJSON("order-1"), "Authorization", "Bearer "+testSecret,
		HeaderVisitorIP, testIP.String(), HeaderVisitorUA, testUA)
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("server send: %d %s", ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
	}
	server := e.lastRow(t)
	if server["visitor_id"] == nil || server["visitor_id"] != page["visitor_id"] {
		t.Errorf("server send's visitor_id %v, the page's %v: want the same", server["visitor_id"], page["visitor_id"])
	}
	if server["browser"] != "Firefox" || server["os"] != "Linux" {
		t.Errorf("classes from the forwarded User-Agent: %v %v", server["browser"], server["os"])
	}
	rows := e.sink.batches[1].Rows
	for _, leak := range []string{testIP.String(), "10.1.2.3", testUA, "crumbless-go", testSecret} {
		if bytes.Contains(rows, []byte(leak)) {
			t.Errorf("row contains %q", leak)
		}
	}
}

func TestServerSendWithoutVisitor(t *testing.T) {
	e := newEnv(t, withSecret)
	ctx := e.serverSend(idsJSON("order-2"), "Authorization", "bearer "+testSecret) // any case
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d %s", ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
	}
	if r := e.lastRow(t); r["visitor_id"] != nil || r["browser"] != nil && r["browser"] != "" {
		t.Errorf("row without a forwarded visitor: %v", r)
	}
	ctx = e.serverSend(idsJSON("order-3"), "Authorization", "Bearer "+testSecret, HeaderVisitorUA, safariUA)
	if r := e.lastRow(t); ctx.Response.StatusCode() != fasthttp.StatusAccepted || r["visitor_id"] != nil || r["browser"] != "Safari" {
		t.Errorf("User-Agent only: %d, row %v", ctx.Response.StatusCode(), r)
	}
}

func TestServerSendRegionFromVisitorOnly(t *testing.T) {
	e := newEnv(t, func(c *Config) { withRegions(c); withSecret(c) })
	site, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	site.Consent.Policy = consent.DefaultPolicy()
	// The country header a CDN put on the server's request names the
	// server's place: it is not the visitor's region.
	ctx := e.serverSend(idsJSON("order-4"), "Authorization", "Bearer "+testSecret, "CF-IPCountry", "US",
		HeaderVisitorIP, "2001:db8::1", HeaderVisitorUA, testUA)
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d", ctx.Response.StatusCode())
	}
	if rows := string(e.sink.batches[0].Rows); !strings.Contains(rows, `"REGION_UNKNOWN`) {
		t.Errorf("row %s: want the region unknown", rows)
	}
	// The same header on a page's request is trusted.
	ctx = newRequestCtx(idsJSON("page-1"))
	ctx.Request.Header.Set("CF-IPCountry", "US")
	e.h.Handle(ctx)
	if rows := string(e.sink.batches[1].Rows); strings.Contains(rows, `"REGION_UNKNOWN`) || !strings.Contains(rows, `"tier":"T3"`) {
		t.Errorf("page row %s: want the region known", rows)
	}
}

func TestServerSendRefused(t *testing.T) {
	for _, tt := range []struct {
		name   string
		secret bool // the site has one
		header []string
		reason string
	}{
		{"wrong secret", true, []string{"Authorization", "Bearer " + strings.ToUpper(testSecret)}, ReasonBadSecret},
		{"short secret", true, []string{"Authorization", "Bearer " + testSecret[:10]}, ReasonBadSecret},
		{"empty bearer", true, []string{"Authorization", "Bearer "}, ReasonBadSecret},
		{"site without a secret", false, []string{"Authorization", "Bearer " + testSecret}, ReasonBadSecret},
		{"visitor IP without a secret", true, []string{HeaderVisitorIP, "203.0.113.9"}, ReasonBadSecret},
		{"visitor UA with a wrong one", true, []string{"Authorization", "Bearer nope", HeaderVisitorUA, testUA}, ReasonBadSecret},
		{"no secret, no Origin", true, nil, ReasonOriginMissing},
		{"bad visitor IP", true, []string{"Authorization", "Bearer " + testSecret, HeaderVisitorIP, "203.0.113.9, 10.0.0.1"}, ReasonBadVisitorIP},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				if tt.secret {
					withSecret(c)
				}
			})
			ctx := e.serverSend(idsJSON("order-5"), tt.header...)
			if got := string(ctx.Response.Header.Peek(ReasonHeader)); got != tt.reason || ctx.Response.StatusCode() != status(tt.reason) {
				t.Fatalf("%d %q, want %d %q", ctx.Response.StatusCode(), got, status(tt.reason), tt.reason)
			}
			if tt.reason == ReasonBadSecret && ctx.Response.StatusCode() != fasthttp.StatusUnauthorized {
				t.Errorf("status %d, want 401", ctx.Response.StatusCode())
			}
			if got := e.counter(`crumbless_batches_rejected_total{reason="` + tt.reason + `"}`); got != "1" {
				t.Errorf("counted %q", got)
			}
			if len(e.sink.batches) != 0 {
				t.Error("stored")
			}
			for _, where := range []string{e.logs.String(), e.metricsText()} {
				if strings.Contains(where, testSecret[:10]) || strings.Contains(strings.ToLower(where), testSecret[:10]) {
					t.Errorf("the secret leaked into %q", where)
				}
			}
		})
	}
}

// TestServerSendExclusion excludes by the visitor's forwarded address, never
// by the server's own.
func TestServerSendExclusion(t *testing.T) {
	e := newEnv(t, withSecret)
	s, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	var err error
	if s.Exclude, err = site.NewNetworks([]string{"10.0.0.0/8", "198.51.100.0/24"}); err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + testSecret
	if ctx := e.serverSend(idsJSON("a"), "Authorization", auth); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Errorf("from a server in an excluded network: %d, want 202", ctx.Response.StatusCode())
	}
	ctx := e.serverSend(idsJSON("b"), "Authorization", auth, HeaderVisitorIP, "198.51.100.20")
	if ctx.Response.StatusCode() != fasthttp.StatusNoContent || string(ctx.Response.Header.Peek(ReasonHeader)) != ReasonExcluded {
		t.Errorf("for a visitor in an excluded network: %d %s, want 204 excluded", ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
	}
	if len(e.sink.batches) != 1 {
		t.Errorf("%d batches stored, want 1", len(e.sink.batches))
	}
}

// rowsOf decodes every row of the sink's i-th batch.
func (e *env) rowsOf(t *testing.T, i int) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSuffix(e.sink.batches[i].Rows, []byte("\n")), []byte("\n")) {
		var r map[string]any
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestServerSendRowsSayServer(t *testing.T) {
	e := newEnv(t, withSecret)
	// A server send, then a page's batch handled after it (the work is
	// pooled: the page's rows must not inherit the mark), then another
	// server send without visitor headers.
	sends := []struct {
		name   string
		do     func() *fasthttp.RequestCtx
		server bool
	}{
		{"server send with a visitor", func() *fasthttp.RequestCtx {
			return e.serverSend(idsJSON("order-a", "order-b"), "Authorization", "Bearer "+testSecret,
				HeaderVisitorIP, testIP.String(), HeaderVisitorUA, testUA)
		}, true},
		{"page", func() *fasthttp.RequestCtx { return e.do("POST", batchJSON("example.com", 2), testOrigin) }, false},
		{"server send without a visitor", func() *fasthttp.RequestCtx {
			return e.serverSend(idsJSON("order-c"), "Authorization", "Bearer "+testSecret)
		}, true},
	}
	for i, s := range sends {
		if ctx := s.do(); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
			t.Fatalf("%s: %d %s", s.name, ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
		}
		for j, r := range e.rowsOf(t, i) {
			got, present := r["server"]
			switch {
			case s.server && got != true:
				t.Errorf("%s, row %d: server = %v, want true", s.name, j, got)
			case !s.server && present:
				t.Errorf("%s, row %d: has server = %v, want no such field", s.name, j, got)
			}
		}
	}
}
