package filesink

import (
	"fmt"
	"time"

	eventrow "github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// eventRecords returns n records of real event rows (collector/row) of
// every type, spread over five sites and three hours from start, with
// every optional field set in some rows and left out in others, props,
// experiments, consent reasons and non-ASCII text; positions 1 to n.
func eventRecords(n int) []sink.Record {
	sites := []string{"shop.example", "blog.example", "docs.example.org", "a-b.example", "x.example"}
	recs := make([]sink.Record, n)
	for i := range recs {
		site := sites[i%len(sites)]
		at := start.Add(time.Duration(i) * 3 * time.Hour / time.Duration(n))
		c := &eventrow.Context{Site: []byte(site), SentAt: at.UnixMilli(), ReceivedAt: at.UnixMilli(),
			Tier: consent.Tier(1 + i%3), VisitorID: fmt.Appendf(nil, "%016x", i%7), UID: fmt.Appendf(nil, "uid-%d", i%4),
			Browser: []string{"Chrome", "", "Firefox"}[i%3], OS: []string{"", "Windows", "iOS"}[i%3], Device: "desktop",
			Marketing: i%2 == 0, Automated: i%11 == 0, Server: i%13 == 0}
		if i%4 == 0 {
			c.Reasons = []byte("GPC,REGION_UNKNOWN_STRICT")
		}
		b := wire.Batch{Site: c.Site, SentAt: c.SentAt}
		for j := range 3 {
			b.Events = append(b.Events, event(i*3+j, at))
			c.Marks = append(c.Marks, mark(i*3+j))
		}
		recs[i] = sink.Record{Site: c.Site, ReceivedAt: at, Rows: eventrow.AppendRows(nil, &b, c), Events: len(b.Events), Pos: uint64(i + 1)}
	}
	return recs
}

// kinds are the event types that have rows.
var kinds = []wire.Kind{wire.KindPageview, wire.KindCustom, wire.KindOutbound, wire.KindDownload,
	wire.KindForm, wire.KindLeave, wire.KindVitals, wire.KindExperiment}

func event(k int, at time.Time) wire.Event {
	e := wire.Event{ID: fmt.Appendf(nil, "ev-%05d", k), Kind: kinds[k%len(kinds)], TS: at.UnixMilli() - int64(k%5)*1000,
		Path: fmt.Appendf(nil, "/p/%d", k%9), Referrer: []byte([]string{"", "https://search.example/?q=1", "https://ünïcode.example/päth"}[k%3])}
	if k%2 == 0 {
		e.Title, e.Viewport, e.Lang, e.TZ = []byte("Grüße — 日本語 \"quoted\" \u2028 <b>"), []byte("lg"), []byte("de-DE"), []byte("Europe/Berlin")
	}
	if k%5 == 0 {
		e.ContentID, e.ContentGroup, e.ContentOrigin = []byte("post-7"), []byte("blog"), []byte("human")
	}
	if k%3 == 0 {
		e.Exp = []wire.Prop{{Key: []byte("hero"), Value: fmt.Appendf(nil, "v%d", k%2)}}
	}
	switch e.Kind {
	case wire.KindPageview:
		e.UTMSource, e.UTMMedium, e.UTMCampaign = []byte("newsletter"), []byte("email"), []byte("winter")
		if k%3 == 0 {
			e.UTMTerm, e.UTMContent, e.Status = []byte("shoes"), []byte("top"), 404
			e.Click, e.ClickID = []byte("gclid"), []byte("abc123")
		}
	case wire.KindCustom:
		e.Name = []byte("signup")
		e.Props = []wire.Prop{{Key: []byte("plan"), Value: []byte([]string{"pro", "free", "émoji 🎉"}[k%3])}}
		if k%3 == 0 {
			e.Props = append(e.Props, wire.Prop{Key: []byte("step"), Value: fmt.Appendf(nil, "%d", k%3)})
		}
	case wire.KindOutbound, wire.KindDownload:
		e.URL = []byte("https://other.example/file.pdf")
	case wire.KindForm:
		e.Form = []byte("contact")
	case wire.KindLeave:
		e.Duration, e.Engaged, e.Scroll = int64(1000+k), int64(500+k), int64(k%100+1)
	case wire.KindVitals:
		e.LCP, e.INP, e.CLS, e.FCP, e.TTFB = int64(1200+k), int64(80+k%50), int64(k%250+1), int64(900+k), int64(100+k%30)
	}
	return e
}

func mark(k int) eventrow.Mark {
	if k%4 != 0 {
		return eventrow.Mark{}
	}
	return eventrow.Mark{Channel: "email", Source: []byte("newsletter"), Goal: []byte("signup"), Stage: []byte("conversion")}
}
