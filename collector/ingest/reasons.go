package ingest

import (
	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/sdk/wire"
)

// Reasons a batch is refused, besides the wire.Reason* ones (all 400).
// They are sent in the X-Crumbless-Reason header and the body, and label
// crumbless_batches_rejected_total.
const (
	ReasonMethodNotAllowed = "method_not_allowed" // 405: only POST and OPTIONS
	ReasonEmptyBody        = "empty_body"         // 400
	ReasonBodyTooLarge     = "body_too_large"     // 413: over Config.MaxBodyBytes
	ReasonDecodedTooLarge  = "decoded_too_large"  // 413: over Config.MaxDecodedBytes once decompressed
	ReasonBadCompression   = "bad_compression"    // 400: gzip or zstd magic, but corrupt
	ReasonUnknownSite      = "unknown_site"       // 403: no such site configured
	ReasonOriginMissing    = "origin_missing"     // 403: no Origin header, outside demo mode
	ReasonOriginNotAllowed = "origin_not_allowed" // 403: Origin not among the site's origins
	ReasonRateLimited      = "rate_limited"       // 429: the client's network is over its rate (Retry-After)
	ReasonSiteRateLimited  = "site_rate_limited"  // 429: the site is over its rate (Retry-After)
)

// ReasonWriteFailed is sent with 503 when the sink could not store an
// accepted batch; the sender should retry. It is not a rejection.
const ReasonWriteFailed = "write_failed"

// ReasonSpoolFull is sent with 503 and Retry-After when the spool's disk
// budget is spent (the sinks are behind); counted in
// crumbless_batches_spool_full_total. It is not a rejection.
const ReasonSpoolFull = "spool_full"

// ReasonHeader is the response header that carries the reason.
const ReasonHeader = "X-Crumbless-Reason"

var statusOf = map[string]int{
	ReasonMethodNotAllowed: fasthttp.StatusMethodNotAllowed,
	ReasonEmptyBody:        fasthttp.StatusBadRequest,
	ReasonBodyTooLarge:     fasthttp.StatusRequestEntityTooLarge,
	ReasonDecodedTooLarge:  fasthttp.StatusRequestEntityTooLarge,
	ReasonBadCompression:   fasthttp.StatusBadRequest,
	ReasonUnknownSite:      fasthttp.StatusForbidden,
	ReasonOriginMissing:    fasthttp.StatusForbidden,
	ReasonOriginNotAllowed: fasthttp.StatusForbidden,
	ReasonExcluded:         fasthttp.StatusNoContent,
	ReasonRateLimited:      fasthttp.StatusTooManyRequests,
	ReasonSiteRateLimited:  fasthttp.StatusTooManyRequests,
}

// Every way sdk/wire refuses a batch is a 400.
func init() {
	for _, reason := range wire.Reasons {
		statusOf[reason] = fasthttp.StatusBadRequest
	}
}

// counters are the handler's metrics. Every rejection counter exists from
// the start (so dashboards see zeros) and is found without allocating.
type counters struct {
	set            *metrics.Set
	rejected       map[string]*metrics.Counter
	acceptedBatch  *metrics.Counter
	acceptedEvents *metrics.Counter
	failedBatch    *metrics.Counter
	spoolFull      *metrics.Counter
	consentCounters
	dedupeCounters
}

func (c *counters) register(set *metrics.Set) {
	c.set = set
	c.rejected = make(map[string]*metrics.Counter, len(statusOf))
	for reason := range statusOf {
		c.rejected[reason] = set.NewCounter(rejectedName(reason))
	}
	c.acceptedBatch = set.NewCounter("crumbless_batches_accepted_total")
	c.acceptedEvents = set.NewCounter("crumbless_events_accepted_total")
	c.failedBatch = set.NewCounter("crumbless_batches_failed_total")
	c.spoolFull = set.NewCounter("crumbless_batches_spool_full_total")
	c.consentCounters.register(set)
	c.dedupeCounters.register(set)
}

func rejectedName(reason string) string {
	return `crumbless_batches_rejected_total{reason="` + reason + `"}`
}

// rejectedCounter returns the counter for reason, creating it for a reason
// a newer sdk/wire introduced.
func (c *counters) rejectedCounter(reason string) *metrics.Counter {
	if ctr, ok := c.rejected[reason]; ok {
		return ctr
	}
	return c.set.GetOrCreateCounter(rejectedName(reason))
}

// status returns the HTTP status for reason; 400 for one it does not know.
func status(reason string) int {
	if s, ok := statusOf[reason]; ok {
		return s
	}
	return fasthttp.StatusBadRequest
}
