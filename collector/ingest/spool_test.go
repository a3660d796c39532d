package ingest

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/spool"
)

func TestSpoolFullIs503WithRetryAfter(t *testing.T) {
	e := newEnv(t, withSeen)
	e.sink.err = spool.ErrFull
	body := batchJSON("example.com", 3)
	ctx := e.do("POST", body, testOrigin)
	if ctx.Response.StatusCode() != fasthttp.StatusServiceUnavailable ||
		string(ctx.Response.Header.Peek(ReasonHeader)) != ReasonSpoolFull ||
		string(ctx.Response.Header.Peek("Retry-After")) != spoolFullRetryAfter ||
		string(ctx.Response.Body()) != ReasonSpoolFull {
		t.Fatalf("got %d %q, Retry-After %q", ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader), ctx.Response.Header.Peek("Retry-After"))
	}
	if got := e.counter("crumbless_batches_spool_full_total"); got != "1" {
		t.Errorf("spool_full counted %s", got)
	}
	if got := e.counter("crumbless_batches_failed_total"); got != "0" {
		t.Errorf("also counted as failed: %s", got)
	}
	// The events were forgotten: once there is room, the retry is written.
	e.sink.err = nil
	if ctx := e.do("POST", body, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted || len(e.sink.batches) != 1 {
		t.Fatalf("retry: %d, %d batches", ctx.Response.StatusCode(), len(e.sink.batches))
	}
}
