package ingest

import (
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
	for i := range b.Events {
		e := &b.Events[i]
		var m row.Mark
		if e.Kind == wire.KindPageview {
			in := channel.Input{Referrer: e.Referrer, UTMSource: e.UTMSource, UTMMedium: e.UTMMedium,
				UTMCampaign: e.UTMCampaign, Click: e.Click, Own: s.Hosts}
			r := h.channels.Classify(&in)
			m.Channel, m.Source = r.Channel, r.Source
		}
		m.Goal, m.Stage = s.Goals.Match(e.Kind.String(), e.Name, e.Path)
		w.marks = append(w.marks, m)
	}
	return w.marks
}
