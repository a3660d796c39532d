//go:build !race

package ingest

import (
	"bytes"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestDedupeAllocatesNothing runs batches through a seen-set: fresh ones
// (their ids rewritten before each run) and all-duplicate ones.
func TestDedupeAllocatesNothing(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sink = &discardSink{}; withSeen(c) })
	ctx := newRequestCtx(batchJSON("example.com", 20))
	body := ctx.Request.Body()
	var at []int
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`"ev-`))
		if j < 0 {
			break
		}
		at = append(at, i+j+1)
		i += j + 1
	}
	n := 0
	for _, fresh := range []bool{true, false} {
		run := func() {
			if fresh {
				n++
				for _, i := range at {
					body[i], body[i+1] = 'a'+byte(n%26), 'a'+byte(n/26%26)
				}
			}
			ctx.Response.Reset()
			e.h.Handle(ctx)
			if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
				t.Fatalf("status %d", ctx.Response.StatusCode())
			}
		}
		run()
		if allocs := testing.AllocsPerRun(100, run); allocs != 0 {
			t.Errorf("fresh %v: %.1f allocations per batch, want 0", fresh, allocs)
		}
	}
	if got, want := e.counter("crumbless_events_accepted_total"), "2040"; got != want { // 102 fresh batches of 20
		t.Errorf("accepted %s events, want %s", got, want)
	}
}

// TestServerSendAllocations holds a warm server send to one allocation:
// netip.ParseAddr's copy of the forwarded address. Pages' batches, far more
// frequent, allocate nothing (TestHandleAllocatesNothing).
func TestServerSendAllocations(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sink = &discardSink{}; withSecret(c) })
	ctx := newRequestCtx(batchJSON("example.com", 20))
	ctx.Request.Header.Del("Origin")
	ctx.Request.Header.Set("Authorization", "Bearer "+testSecret)
	ctx.Request.Header.Set(HeaderVisitorIP, "2001:db8::7")
	ctx.Request.Header.Set(HeaderVisitorUA, testUA)
	run := func() {
		ctx.Response.Reset()
		e.h.Handle(ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
			t.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
	run()
	if allocs := testing.AllocsPerRun(100, run); allocs > 1 {
		t.Errorf("%.1f allocations per server send, want at most 1", allocs)
	}
}
