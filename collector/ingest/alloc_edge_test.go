//go:build !race

package ingest

import (
	"net"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/site"
)

// TestEdgeMarksAllocateNothing holds a batch that is classified, matched
// against goals and checked against excluded networks to zero allocations.
func TestEdgeMarksAllocateNothing(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sink = &discardSink{}; withRegions(c) })
	withGoals(t, e)
	s, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	var err error
	if s.Exclude, err = site.NewNetworks([]string{"198.51.100.0/24", "2001:db8::/32"}); err != nil {
		t.Fatal(err)
	}
	ctx := newRequestCtx(gzipped(t, edgeBatch("T2", "m")))
	ctx.Request.Header.Set("CF-IPCountry", "US")
	noAllocs(t, e, ctx, fasthttp.StatusAccepted)
	// An excluded batch costs nothing either.
	s.Exclude, _ = site.NewNetworks([]string{net.IPv4(203, 0, 113, 0).String() + "/24"})
	excluded := func() {
		ctx.Response.Reset()
		e.h.Handle(ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusNoContent {
			t.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
	excluded()
	if n := testing.AllocsPerRun(100, excluded); n != 0 {
		t.Errorf("%.1f allocations per excluded batch, want 0", n)
	}
}
