// Package ingest is the collector's POST /e handler: it takes a batch from
// the network to a sink. In order:
//
//  1. limits: the body (fasthttp enforces it while reading; HandleReadError
//     answers for it) and the decoded size;
//  2. decompression, chosen by the body's magic bytes (gzip 1f8b, zstd
//     28b52ffd, otherwise raw JSON), bounded so a compression bomb costs at
//     most the decoded limit;
//  3. parsing with a pooled wire.Parser;
//  4. the site and the request's Origin header against the site registry,
//     or, for a server send (server.go), the site's secret as a bearer
//     token, and the visitor's address and User-Agent the server forwards;
//     then each event's id against the seen-set (collector/dedupe):
//     events already accepted are dropped, the others marked in flight
//     until the batch is written (accepted) or fails (forgotten);
//     a batch from one of the site's exclude_networks (the socket peer's
//     address) is acknowledged with 204, reason excluded, and dropped;
//  5. consent, decided again: the batch's signals with the request's
//     Sec-GPC and DNT, the region (collector/region), the site's current
//     policy; the page's claim (tier, flags) lowered to it, clamps counted
//     by reason, a T0 batch's events dropped;
//  6. one consent record per consent event (collector/record);
//  7. per batch: the visitor id from site, IP and User-Agent (T2 and up;
//     a server send that forwards no address has none),
//     and the User-Agent's classes; the IP and User-Agent go no further;
//  8. one row per other event, clamped to the tier, with the edge's marks
//     (the inflow channel and source of pageviews, collector/channel; the
//     first of the site's goals each event reaches), all of a batch handed
//     to the sink in one call; the mouse add-on's reserved events become
//     frustration and bot rows, and heatmap rows in a record of their own
//     (mouse.go).
//
// Every refusal is a 4xx with a short reason in the X-Crumbless-Reason
// header and the body, counted in
// crumbless_batches_rejected_total{reason="..."} and logged at most once per
// reason every 10 seconds. A warm handler allocates nothing per batch.
//
// It must not import collector; it imports the collector/<x> packages it
// composes (site, identity, enrich, channel, row, sink).
package ingest

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/channel"
	"github.com/crumbless/crumbless/collector/clientip"
	"github.com/crumbless/crumbless/collector/dedupe"
	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/collector/identity"
	"github.com/crumbless/crumbless/collector/ratelimit"
	"github.com/crumbless/crumbless/collector/region"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

// Config configures a Handler. Sites, Sink (the spool), Keyer and Agents
// are required;
// the zero value of every other field means its default.
type Config struct {
	Sites  *site.Registry
	Sink   sink.Appender
	Keyer  *identity.Keyer
	Agents *enrich.Classifier
	// Datacenters marks rows from hosting and cloud networks; nil marks
	// none.
	Datacenters *enrich.Datacenters

	// ClientIP picks the client address of a page's request: the peer, or
	// what a trusted proxy forwarded; nil means the peer.
	ClientIP *clientip.Resolver
	// Networks limits each client network's rate; nil means no limit.
	Networks *ratelimit.Networks
	// SiteRates limits each site's rate, by site id; a site not in it has
	// no limit.
	SiteRates map[string]*ratelimit.Site
	// Regions resolves the visitor's region; nil means every region is
	// unknown (the strictest profile).
	Regions *region.Resolver
	// Records stores consent records; nil drops them (counted nowhere:
	// only for tests and programs that keep no records).
	Records Recorder
	// Seen drops the events of a batch that were already accepted (the
	// page or a server retrying), so that each lands once; nil keeps them
	// all.
	Seen *dedupe.Set
	// Heatmaps takes the raw heatmap rows of the mouse add-on's $heatmap
	// events (mouse.go), one record per batch of kind sink.KindHeatmap: a
	// file sink opened with heatmap.RawSinkConfig. Nil drops them, counted
	// in crumbless_events_dropped_total{reason="no_heatmap_sink"}.
	Heatmaps sink.Appender

	// MaxBodyBytes is the largest request body; default wire.MaxBodyBytes.
	// Give the same to fasthttp.Server.MaxRequestBodySize.
	MaxBodyBytes int
	// MaxDecodedBytes is the largest batch after decompression; default
	// wire.MaxDecodedBytes.
	MaxDecodedBytes int
	// AllowMissingOrigin accepts batches without an Origin header (demo
	// mode; also curl and server-side senders). Off, they are refused with
	// origin_missing.
	AllowMissingOrigin bool
	// LogEvery is the least time between two log lines for one rejection
	// reason; default 10s.
	LogEvery time.Duration

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the throttled rejection lines; nil means slog.Default().
	Logger *slog.Logger
	// Metrics receives the handler's counters; nil means a private set.
	Metrics *metrics.Set
}

// zstdWindow returns the largest zstd window accepted: the decoded limit,
// but at least 1 MiB. A batch never needs a window larger than itself, and
// encoders that know the input size (as with one batch) size the window to
// it; a frame that declares a larger one is refused as decoded_too_large
// before anything is allocated for it.
func zstdWindow(decodedLimit int) uint64 {
	return uint64(max(decodedLimit, 1<<20))
}

// Handler handles POST /e. It is safe for concurrent use.
type Handler struct {
	cfg      Config
	zstdOpts []zstd.DOption
	counters counters
	mouse    mouseCounters
	throttle *throttle
	pool     sync.Pool // *work
	channels *channel.Classifier
}

// New checks cfg and returns a Handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Sites == nil || cfg.Sink == nil || cfg.Keyer == nil || cfg.Agents == nil {
		return nil, errors.New("creating ingest handler: Sites, Sink, Keyer and Agents are required")
	}
	cfg = cfg.withDefaults()
	if cfg.MaxBodyBytes < 0 || cfg.MaxDecodedBytes < 0 {
		return nil, fmt.Errorf("creating ingest handler: negative limit (body %d, decoded %d)", cfg.MaxBodyBytes, cfg.MaxDecodedBytes)
	}
	h := &Handler{
		cfg:      cfg,
		throttle: newThrottle(cfg.LogEvery),
		zstdOpts: []zstd.DOption{
			zstd.WithDecoderConcurrency(1), // decode in the handler's goroutine
			zstd.WithDecoderLowmem(true),
			// The decoder allocates its whole window up front, so the
			// window is what bounds a zstd body's memory; see zstdWindow.
			zstd.WithDecoderMaxWindow(zstdWindow(cfg.MaxDecodedBytes)),
			zstd.WithDecoderMaxMemory(zstdWindow(cfg.MaxDecodedBytes)),
			// Always stream: the in-memory shortcut prints to stderr when a
			// frame goes over the limit.
			zstd.WithDecodeBuffersBelow(0),
		},
	}
	h.counters.register(cfg.Metrics)
	h.mouse.register(cfg.Metrics)
	var err error
	if h.channels, err = channel.Default(); err != nil {
		return nil, fmt.Errorf("creating ingest handler: loading the channel lists: %w", err)
	}
	return h, nil
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = wire.MaxBodyBytes
	}
	if c.MaxDecodedBytes == 0 {
		c.MaxDecodedBytes = wire.MaxDecodedBytes
	}
	if c.LogEvery <= 0 {
		c.LogEvery = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.NewSet()
	}
	return c
}
