//go:build !race

package ingest

import (
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// TestSpooledHandleAllocatesNothing holds the whole warm path into the real
// spool (framing, group commit, fsync, waking the appender and the
// readers) to zero allocations per batch.
func TestSpooledHandleAllocatesNothing(t *testing.T) {
	sp, err := spool.Open(spool.Config{Dir: t.TempDir(), Consumers: []string{"files"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	e := newEnv(t, func(c *Config) { c.Sink = spooled.NewWriter(sp) })
	ctx := newRequestCtx(gzipped(t, batchJSON("example.com", 20)))
	noAllocs(t, e, ctx, fasthttp.StatusAccepted)
}
