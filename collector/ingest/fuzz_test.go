package ingest

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// FuzzHandle sends arbitrary bodies through the whole handler: every one
// must get 202 or a 4xx with a reason, and never a panic.
func FuzzHandle(f *testing.F) {
	raw := batchJSON("example.com", 3)
	f.Add(raw)
	f.Add(gzipped(f, raw))
	f.Add(zstded(f, raw))
	f.Add(gzipped(f, zeros(1<<20)))
	f.Add(zstdStreamed(f, zeros(1<<20)))
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"))
	f.Add([]byte("\x28\xb5\x2f\xfd\x00\x00"))
	f.Add([]byte(`{"v":1,"site":"example.com","events":[{"id":"a","type":"custom","ts":1,"props":{"k":1}}]}`))
	e := newEnv(f, func(c *Config) { c.Sink = &discardSink{}; c.MaxDecodedBytes = 64 << 10 })
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := e.do("POST", body, testOrigin)
		switch status := ctx.Response.StatusCode(); {
		case status == fasthttp.StatusAccepted:
		case status >= 400 && status < 500:
			if len(ctx.Response.Header.Peek(ReasonHeader)) == 0 {
				t.Errorf("status %d without a reason", status)
			}
		default:
			t.Errorf("status %d", status)
		}
	})
}
