package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestAccepts(t *testing.T) {
	raw := batchJSON("example.com", 20)
	tests := []struct {
		name   string
		body   []byte
		origin string
		demo   bool
	}{
		{"raw JSON", raw, testOrigin, false},
		{"gzip", gzipped(t, raw), testOrigin, false},
		{"zstd", zstded(t, raw), testOrigin, false},
		{"no Origin in demo mode", gzipped(t, raw), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.AllowMissingOrigin = tt.demo })
			ctx := e.do("POST", tt.body, tt.origin)
			if got := ctx.Response.StatusCode(); got != fasthttp.StatusAccepted {
				t.Fatalf("status %d, reason %q", got, ctx.Response.Header.Peek(ReasonHeader))
			}
			if got := string(ctx.Response.Header.Peek("Access-Control-Allow-Origin")); got != tt.origin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.origin)
			}
			if tt.origin != "" && string(ctx.Response.Header.Peek("Vary")) != "Origin" {
				t.Error("no Vary: Origin")
			}
			checkStored(t, e, 20)
			if e.counter("crumbless_batches_accepted_total") != "1" || e.counter("crumbless_events_accepted_total") != "20" {
				t.Errorf("accepted counters:\n%s", e.metricsText())
			}
		})
	}
}

// checkStored checks the one batch the sink got: n rows for example.com
// with a visitor id and UA classes, and neither the IP nor the User-Agent.
func checkStored(t *testing.T, e *env, n int) {
	t.Helper()
	if len(e.sink.batches) != 1 {
		t.Fatalf("sink got %d batches", len(e.sink.batches))
	}
	b := e.sink.batches[0]
	if string(b.Site) != "example.com" || b.Events != n || !b.ReceivedAt.Equal(receive) {
		t.Errorf("batch site %q, %d events, received %v", b.Site, b.Events, b.ReceivedAt)
	}
	lines := bytes.Split(bytes.TrimSuffix(b.Rows, []byte("\n")), []byte("\n"))
	if len(lines) != n {
		t.Fatalf("%d rows, want %d", len(lines), n)
	}
	var r map[string]any
	if err := json.Unmarshal(lines[0], &r); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(r["visitor_id"].(string)) {
		t.Errorf("visitor_id %q", r["visitor_id"])
	}
	if r["site"] != "example.com" || r["tier"] != "T2" || r["browser"] != "Firefox" || r["os"] != "Linux" || r["device"] != "desktop" {
		t.Errorf("row %s", lines[0])
	}
	if r["received_at"] != "2026-11-23T18:20:01.123Z" || r["ts"] != "2026-11-23T18:20:00.173Z" {
		t.Errorf("times in row %s", lines[0])
	}
	for _, secret := range []string{testIP.String(), testUA, "X11; Linux"} {
		if bytes.Contains(b.Rows, []byte(secret)) {
			t.Errorf("rows contain %q", secret)
		}
	}
}

func TestRejects(t *testing.T) {
	const decodedLimit = 16 << 10
	bomb := zeros(16 << 20)
	tests := []struct {
		name   string
		method string
		body   []byte
		origin string
		status int
		reason string
	}{
		{"GET", "GET", nil, testOrigin, 405, ReasonMethodNotAllowed},
		{"empty body", "POST", nil, testOrigin, 400, ReasonEmptyBody},
		{"body too large", "POST", bytes.Repeat([]byte(" "), 70<<10), testOrigin, 413, ReasonBodyTooLarge},
		{"gzip bomb", "POST", gzipped(t, bomb), testOrigin, 413, ReasonDecodedTooLarge},
		{"zstd bomb", "POST", zstded(t, bomb), testOrigin, 413, ReasonDecodedTooLarge},
		{"zstd bomb, streamed", "POST", zstdStreamed(t, zeros(4<<20)), testOrigin, 413, ReasonDecodedTooLarge},
		{"raw over decoded limit", "POST", append(batchJSON("example.com", 1), bytes.Repeat([]byte(" "), decodedLimit)...), testOrigin, 413, ReasonDecodedTooLarge},
		{"corrupt gzip", "POST", []byte("\x1f\x8bnot gzip at all"), testOrigin, 400, ReasonBadCompression},
		{"truncated gzip", "POST", gzipped(t, batchJSON("example.com", 5))[:40], testOrigin, 400, ReasonBadCompression},
		{"corrupt zstd", "POST", []byte("\x28\xb5\x2f\xfdnot zstd"), testOrigin, 400, ReasonBadCompression},
		{"bad JSON", "POST", []byte("{not json"), testOrigin, 400, "bad_json"},
		{"JSON array", "POST", []byte("[1,2]"), testOrigin, 400, "bad_json"},
		{"bad version", "POST", []byte(`{"v":99,"site":"example.com","events":[]}`), testOrigin, 400, "bad_version"},
		{"no events", "POST", []byte(`{"v":1,"site":"example.com","events":[]}`), testOrigin, 400, "no_events"},
		{"bad event type", "POST", []byte(`{"v":1,"site":"example.com","events":[{"id":"a","type":"x","ts":1}]}`), testOrigin, 400, "bad_event_type"},
		{"gzip of bad JSON", "POST", gzipped(t, []byte("nope")), testOrigin, 400, "bad_json"},
		{"unknown site", "POST", batchJSON("other.org", 1), testOrigin, 403, ReasonUnknownSite},
		{"wrong origin", "POST", batchJSON("example.com", 1), "https://evil.test", 403, ReasonOriginNotAllowed},
		{"origin with a different port", "POST", batchJSON("example.com", 1), "https://example.com:8443", 403, ReasonOriginNotAllowed},
		{"null origin", "POST", batchJSON("example.com", 1), "null", 403, ReasonOriginNotAllowed},
		{"missing origin", "POST", batchJSON("example.com", 1), "", 403, ReasonOriginMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.MaxDecodedBytes = decodedLimit })
			ctx := e.do(tt.method, tt.body, tt.origin)
			checkRejected(t, e, ctx, tt.status, tt.reason)
		})
	}
}

func checkRejected(t *testing.T, e *env, ctx *fasthttp.RequestCtx, status int, reason string) {
	t.Helper()
	if got := ctx.Response.StatusCode(); got != status {
		t.Errorf("status %d, want %d", got, status)
	}
	if got := string(ctx.Response.Header.Peek(ReasonHeader)); got != reason {
		t.Errorf("%s = %q, want %q", ReasonHeader, got, reason)
	}
	if got := string(ctx.Response.Body()); got != reason {
		t.Errorf("body %q, want %q", got, reason)
	}
	if got := string(ctx.Response.Header.Peek("Access-Control-Allow-Origin")); got != "*" {
		t.Errorf("rejection not readable cross-origin: Access-Control-Allow-Origin %q", got)
	}
	if got := e.counter(rejectedName(reason)); got != "1" {
		t.Errorf("%s = %q, want 1", rejectedName(reason), got)
	}
	if len(e.sink.batches) != 0 {
		t.Error("a rejected batch reached the sink")
	}
	if !strings.Contains(e.logs.String(), "reason="+reason) {
		t.Errorf("rejection not logged:\n%s", e.logs)
	}
}

func TestHandleReadError(t *testing.T) {
	e := newEnv(t, nil)
	ctx := &fasthttp.RequestCtx{}
	e.h.HandleReadError(ctx, fasthttp.ErrBodyTooLarge)
	checkRejected(t, e, ctx, 413, ReasonBodyTooLarge)

	ctx = &fasthttp.RequestCtx{}
	e.h.HandleReadError(ctx, errors.New("broken"))
	if ctx.Response.StatusCode() != 400 {
		t.Errorf("status %d for a broken request", ctx.Response.StatusCode())
	}
}

func TestPreflight(t *testing.T) {
	e := newEnv(t, nil)
	ctx := e.do("OPTIONS", nil, testOrigin)
	h := &ctx.Response.Header
	if ctx.Response.StatusCode() != 204 || string(h.Peek("Access-Control-Allow-Origin")) != testOrigin ||
		!strings.Contains(string(h.Peek("Access-Control-Allow-Methods")), "POST") {
		t.Errorf("preflight answer:\n%s", h.String())
	}
}

func TestSinkFailure(t *testing.T) {
	e := newEnv(t, nil)
	e.sink.err = errors.New("disk full")
	ctx := e.do("POST", batchJSON("example.com", 2), testOrigin)
	if ctx.Response.StatusCode() != 503 || string(ctx.Response.Header.Peek(ReasonHeader)) != ReasonWriteFailed ||
		len(ctx.Response.Header.Peek("Retry-After")) == 0 {
		t.Errorf("answer:\n%s", ctx.Response.Header.String())
	}
	if e.counter("crumbless_batches_failed_total") != "1" || e.counter("crumbless_batches_accepted_total") != "0" {
		t.Errorf("counters:\n%s", e.metricsText())
	}
	if !strings.Contains(e.logs.String(), "disk full") {
		t.Errorf("failure not logged:\n%s", e.logs)
	}
}

func TestRejectionLogIsThrottled(t *testing.T) {
	e := newEnv(t, nil)
	for range 5 {
		e.do("POST", []byte("{"), testOrigin)
	}
	if n := strings.Count(e.logs.String(), "reason=bad_json"); n != 1 {
		t.Fatalf("%d log lines for 5 rejections, want 1:\n%s", n, e.logs)
	}
	e.now = e.now.Add(11 * time.Second)
	e.do("POST", []byte("{"), testOrigin)
	if !strings.Contains(e.logs.String(), "suppressed=4") {
		t.Errorf("no count of held-back lines:\n%s", e.logs)
	}
	if e.counter(rejectedName("bad_json")) != "6" {
		t.Error("throttling the log must not throttle the counter")
	}
}

func TestLogsNeitherIPNorUserAgent(t *testing.T) {
	e := newEnv(t, nil)
	e.do("POST", batchJSON("other.org", 1), testOrigin)
	e.do("POST", batchJSON("example.com", 1), "https://evil.test")
	e.do("POST", []byte("{"), testOrigin)
	for _, secret := range []string{testIP.String(), "Firefox", "X11"} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("log contains %q:\n%s", secret, e.logs)
		}
	}
}

func TestDetect(t *testing.T) {
	for body, want := range map[string]Compression{
		"{}":               Raw,
		"":                 Raw,
		"\x1f":             Raw,
		"\x1f\x8b\x08":     Gzip,
		"\x28\xb5\x2f\xfd": Zstd,
		"\x28\xb5\x2f":     Raw,
	} {
		if got := Detect([]byte(body)); got != want {
			t.Errorf("Detect(%q) = %d, want %d", body, got, want)
		}
	}
}
