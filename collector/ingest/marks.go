package ingest

import (
	"bytes"
	"net"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/channel"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

// ReasonExcluded is sent with 204 when the batch came from one of the
// site's exclude_networks: acknowledged, so the page does not retry, and
// not written. It is counted with the rejections.
const ReasonExcluded = "excluded"

// excluded reports whether the request comes from one of s's excluded
// networks (the visitor's address: the socket peer's, or the one a server
// send forwarded), and if so answers it.
func (h *Handler) excluded(ctx *fasthttp.RequestCtx, s *site.Site, ip net.IP) bool {
	if s.Exclude.Len() == 0 || !s.Exclude.Contains(ip) {
		return false
	}
	h.counters.rejectedCounter(ReasonExcluded).Inc()
	ctx.Response.Header.Set(ReasonHeader, ReasonExcluded)
	ctx.Response.Header.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	ctx.Response.Header.Set(fasthttp.HeaderAccessControlExposeHeaders, ReasonHeader)
	ctx.SetStatusCode(fasthttp.StatusNoContent)
	return true
}

// marks fills w.marks with what the edge adds to each event of b: the
// inflow channel and source of pageviews, and the first of the site's
// goals each event reaches.
func (h *Handler) marks(w *work, b *wire.Batch, s *site.Site) []row.Mark {
	w.marks = w.marks[:0]
	// The pageviews of a batch mostly share a referrer and campaign: the
	// last classification is kept and reused for the same input.
	var last *wire.Event
	var r channel.Result
	for i := range b.Events {
		e := &b.Events[i]
		var m row.Mark
		if e.Kind == wire.KindPageview {
			if last == nil || !sameInflow(e, last) {
				in := channel.Input{Referrer: e.Referrer, UTMSource: e.UTMSource, UTMMedium: e.UTMMedium,
					UTMCampaign: e.UTMCampaign, Click: e.Click, Own: s.Hosts}
				r, last = h.channels.Classify(&in), e
			}
			m.Channel, m.Source = r.Channel, r.Source
		}
		m.Goal, m.Stage = s.Goals.Match(e.Kind.String(), e.Name, e.Path)
		w.marks = append(w.marks, m)
	}
	return w.marks
}

// sameInflow reports whether a and b have the same channel input.
func sameInflow(a, b *wire.Event) bool {
	return bytes.Equal(a.Referrer, b.Referrer) && bytes.Equal(a.UTMSource, b.UTMSource) &&
		bytes.Equal(a.UTMMedium, b.UTMMedium) && bytes.Equal(a.UTMCampaign, b.UTMCampaign) &&
		bytes.Equal(a.Click, b.Click)
}
