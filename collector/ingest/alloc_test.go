//go:build !race

package ingest

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestHandleAllocatesNothing holds the whole warm path of an accepted gzip
// batch, from body to sink, to zero allocations.
func TestHandleAllocatesNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		body []byte
	}{
		{"gzip", gzipped(t, batchJSON("example.com", 20))},
		{"zstd", zstded(t, batchJSON("example.com", 20))},
		{"raw", batchJSON("example.com", 20)},
		{"consent claim, region and GPC", gzipped(t, claimJSON(20, "T3", "im", "uid-1", "g"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Sink = &discardSink{}; withRegions(c) })
			ctx := newRequestCtx(tt.body)
			ctx.Request.Header.Set("CF-IPCountry", "FR")
			ctx.Request.Header.Add("Sec-GPC", "1")
			noAllocs(t, e, ctx, fasthttp.StatusAccepted)
		})
	}
}

// TestBombMemory checks that a compression bomb of 60 MiB costs a few times
// the decoded limit in memory (buffers and a zstd window, reused after the
// first), not its decompressed size.
func TestBombMemory(t *testing.T) {
	// No collection during the test: one would empty the pools between the
	// cold and the warm run, and the warm run would pay again (seen in CI).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	bomb := zeros(60 << 20)
	for _, tt := range []struct {
		name string
		body []byte
	}{
		{"gzip", gzipped(t, bomb)},
		{"zstd", zstded(t, bomb)},
		{"zstd streamed", zstdStreamed(t, bomb)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			ctx := newRequestCtx(tt.body)
			if len(tt.body) > e.h.cfg.MaxBodyBytes {
				t.Fatalf("bomb of %d bytes does not fit the body limit", len(tt.body))
			}
			cold := allocatedBy(func() { e.h.Handle(ctx) })
			if got := string(ctx.Response.Header.Peek(ReasonHeader)); got != ReasonDecodedTooLarge {
				t.Fatalf("reason %q", got)
			}
			warm := allocatedBy(func() { ctx.Response.Reset(); e.h.Handle(ctx) })
			for range 2 { // the least of three: a stray allocation elsewhere is not the bomb's
				warm = min(warm, allocatedBy(func() { ctx.Response.Reset(); e.h.Handle(ctx) }))
			}
			limit := uint64(e.h.cfg.MaxDecodedBytes)
			t.Logf("first bomb: %d KiB allocated, next: %d KiB (limit %d KiB)", cold>>10, warm>>10, limit>>10)
			if cold > 8<<20 || warm > limit/4 {
				t.Errorf("bomb allocated %d then %d bytes; limit %d", cold, warm, limit)
			}
		})
	}
}

// allocatedBy returns the bytes allocated while f runs.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestMouseEventsAllocateNothing: the mouse add-on's events (heatmap rows
// to their own sink, frustration and bot rows, bots: flag) keep the warm
// path allocation-free.
func TestMouseEventsAllocateNothing(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Sink, c.Heatmaps = &discardSink{}, &discardSink{}; flagSites(c) })
	noAllocs(t, e, newRequestCtx(gzipped(t, mouseBatchJSON(goodCells))), fasthttp.StatusAccepted)
}
