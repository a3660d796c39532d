package ingest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/collector/identity"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

const (
	testOrigin = "https://example.com"
	testUA     = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
)

var (
	testIP  = net.IPv4(203, 0, 113, 7)
	receive = time.Date(2026, 11, 23, 18, 20, 1, 123e6, time.UTC)
)

// memSink keeps copies of the batches it is given.
type memSink struct {
	mu      sync.Mutex
	batches []sink.Record
	err     error
}

func (s *memSink) Append(_ context.Context, b *sink.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	c := *b
	c.Site = bytes.Clone(b.Site)
	c.Rows = bytes.Clone(b.Rows)
	s.batches = append(s.batches, c)
	return nil
}

// env is a Handler with everything it talks to.
type env struct {
	h       *Handler
	sink    *memSink
	metrics *metrics.Set
	logs    *bytes.Buffer
	now     time.Time
}

func newEnv(t testing.TB, modify func(*Config)) *env {
	t.Helper()
	e := &env{sink: &memSink{}, metrics: metrics.NewSet(), logs: &bytes.Buffer{}, now: receive}
	sites, err := site.NewRegistry([]site.Site{{ID: "example.com", Origins: []string{testOrigin}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	keyer, err := identity.New(identity.Config{Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Sites: sites, Sink: e.sink, Keyer: keyer, Agents: enrich.NewClassifier(0),
		Now: func() time.Time { return e.now }, Metrics: e.metrics,
		Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
	}
	if modify != nil {
		modify(&cfg)
	}
	if e.h, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// do sends one request to the handler and returns the finished context.
func (e *env) do(method string, body []byte, origin string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI("/e")
	req.Header.SetContentType("text/plain")
	req.Header.SetUserAgent(testUA)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	req.SetBody(body)
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: testIP, Port: 40000}, nil)
	e.h.Handle(ctx)
	return ctx
}

func (e *env) metricsText() string {
	var buf bytes.Buffer
	e.metrics.WritePrometheus(&buf)
	return buf.String()
}

func (e *env) counter(name string) string {
	for line := range strings.Lines(e.metricsText()) {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// batchJSON returns a batch of n pageviews for site, sent just before
// receive.
func batchJSON(site string, n int) []byte {
	b := wire.Batch{Version: wire.Version, Site: []byte(site), SentAt: receive.UnixMilli() - 50}
	for i := range n {
		b.Events = append(b.Events, wire.Event{
			ID: fmt.Appendf(nil, "ev-%03d", i), Kind: wire.KindPageview, TS: receive.UnixMilli() - 1000 + int64(i),
			Path: []byte("/docs/getting-started"), Referrer: []byte("https://search.example/?q=analytics"),
			Title: []byte("Getting started"), Viewport: []byte("lg"), Lang: []byte("en-GB"), TZ: []byte("Europe/London"),
		})
	}
	return wire.AppendBatch(nil, &b)
}

func gzipped(t testing.TB, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstded(t testing.TB, src []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(src, nil)
}

// zeros returns n zero bytes: the body of a compression bomb.
func zeros(n int) []byte { return make([]byte, n) }

// zstdStreamed compresses src as a stream, so the frame does not declare
// its size and the decoder only finds out while decoding.
func zstdStreamed(t testing.TB, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := zstd.NewWriter(&buf, zstd.WithWindowSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enc.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// discardSink counts batches and keeps nothing, so it allocates nothing.
type discardSink struct{ events int }

func (s *discardSink) Append(_ context.Context, b *sink.Record) error {
	s.events += b.Events
	return nil
}

// newRequestCtx returns a reusable context holding a POST /e of body.
func newRequestCtx(body []byte) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod("POST")
	req.SetRequestURI("/e")
	req.Header.Set("Origin", testOrigin)
	req.Header.SetUserAgent(testUA)
	req.SetBody(body)
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, &net.TCPAddr{IP: testIP, Port: 40000}, nil)
	return ctx
}

// noAllocs handles ctx once to warm the handler, then checks that handling
// it again, answered with status, allocates nothing.
func noAllocs(t *testing.T, e *env, ctx *fasthttp.RequestCtx, status int) {
	t.Helper()
	run := func() {
		ctx.Response.Reset()
		e.h.Handle(ctx)
		if ctx.Response.StatusCode() != status {
			t.Fatalf("status %d, want %d", ctx.Response.StatusCode(), status)
		}
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%.1f allocations per batch, want 0", n)
	}
}
