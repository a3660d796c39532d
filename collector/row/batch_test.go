package row

import (
	"fmt"

	"github.com/crumbless/crumbless/sdk/wire"
)

// batchOf returns the JSON of a batch of n pageviews, as a tracker sends it.
func batchOf(n int) []byte {
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: received - 10}
	for i := range n {
		b.Events = append(b.Events, wire.Event{
			ID: fmt.Appendf(nil, "ev-%03d", i), Kind: wire.KindPageview, TS: received - 500 + int64(i),
			Path: []byte("/docs/getting-started"), Referrer: []byte("https://search.example/?q=analytics"),
			Title: []byte("Getting started"), Viewport: []byte("lg"), Lang: []byte("en-GB"), TZ: []byte("Europe/London"),
		})
	}
	return wire.AppendBatch(nil, &b)
}
