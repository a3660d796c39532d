package core

import (
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
)

// kinds lists the kinds (and names, paths) of events, for compact checks.
func kinds(events []parsedEvent) string {
	var s []string
	for _, e := range events {
		k := e.kind
		if e.name != "" {
			k += ":" + e.name
		}
		s = append(s, k+"@"+e.path)
	}
	return strings.Join(s, ",")
}

func TestSinglePageAppViews(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/a"))
	h.feed(t0+1000, pageHow(HowSPA, "https://example.com/b", "https://example.com/a"))
	h.feed(t0+1100, pageHow(HowSPA, "https://example.com/b", "https://example.com/b")) // replaceState, same path
	h.feed(t0+1200, custom("on-b"))
	h.feed(t0+5000, hide)
	h.feed(t0+9000, pageHow(HowRestore, "https://example.com/b", "")) // back from the back/forward cache
	h.feed(t0+9500, hide)                                             // half a second: too short a summary, its time goes to the next
	h.feed(t0+10500, hide)
	ev := h.events()
	if got := kinds(ev); got != "pageview@/a,pageview@/b,custom:on-b@/b,pageview@/b" {
		t.Fatalf("events %s", got)
	}
	if ev[1].referrer != "https://example.com/a" {
		t.Errorf("SPA view referrer %q, want the previous view's URL", ev[1].referrer)
	}
	// Leave summaries: /a when /b replaced it, /b when hidden, /b again
	// after the restore.
	l := h.leaves()
	if len(l) != 3 || l[0].path != "/a" || l[0].num != 1000 || l[1].path != "/b" || l[1].num != 4000 || l[2].num != 1500 {
		for _, x := range l {
			t.Errorf("leave summary %s %d", x.path, x.num)
		}
	}
}

func TestLocalPagesAreIgnoredUnlessDev(t *testing.T) {
	for _, host := range []string{"localhost", "127.0.0.1", "[::1]", "app.localhost", "0.0.0.0", ""} {
		h := newHarness(t)
		h.feed(t0, rec(RecordPage, HowLoad, host, "", "1280", "/"), custom("e"), hide)
		if len(h.sent) != 0 {
			t.Errorf("host %q: %d batches sent from a local page", host, len(h.sent))
		}
	}
	h := &harness{t: t}
	h.tr.Send = h.send
	h.feed(t0, rec(RecordInit, testSite, testSeed, "dev", "1"), noPolicy, pageHow(HowLoad, "http://localhost:8080/", ""), hide)
	if got := kinds(h.events()); got != "pageview@/" {
		t.Errorf("with dev: %s", got)
	}
}

func TestLinksAndDeclarativeEvents(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/"))
	click := func(protocol, host, url, download, name string, rest ...string) []byte {
		return rec(RecordClick, append([]string{protocol, host, url, download, name, "post-7", "blog", "ai"}, rest...)...)
	}
	h.feed(t0+1,
		click("https:", "other.example", "https://other.example/x", "", ""),              // outbound
		click("https:", "example.com", "https://example.com/docs/a.PDF", "", ""),         // not a download: extensions are lower case
		click("https:", "example.com", "https://example.com/docs/guide.pdf", "", ""),     // download
		click("https:", "cdn.example", "https://cdn.example/app.zip", "", ""),            // download, on another host
		click("https:", "example.com", "https://example.com/export", "1", ""),            // download attribute
		click("https:", "example.com", "https://example.com/about", "", ""),              // internal: nothing
		click("mailto:", "", "mailto:sales@example.com", "", ""),                         // not web: nothing
		click("", "", "undefined", "", "cta", "data-crumbless-prop-plan", "pro"),         // declarative, no link
		click("https:", "other.example", "https://other.example/", "", "cta2", "a", "b"), // both
		hide)
	ev := h.events()[1:]
	var got []string
	for _, e := range ev {
		got = append(got, e.kind+" "+e.url+e.name)
	}
	want := "outbound https://other.example/x,download https://example.com/docs/guide.pdf,download https://cdn.example/app.zip," +
		"download https://example.com/export,custom cta,custom cta2,outbound https://other.example/"
	if strings.Join(got, ",") != want {
		t.Errorf("clicks gave\n %s\nwant\n %s", strings.Join(got, ","), want)
	}
	for _, e := range ev {
		if e.content != [3]string{"post-7", "blog", "ai"} {
			t.Errorf("%s: content %q, want the element's", e.kind, e.content)
		}
	}
	if ev[4].props[0] != [2]string{"data-crumbless-prop-plan", "pro"} {
		t.Errorf("declarative props %q", ev[4].props)
	}

	h = &harness{t: t}
	h.tr.Send = h.send
	h.feed(t0, rec(RecordInit, testSite, testSeed, "downloads", "epub,mobi"), noPolicy, page("https://example.com/"),
		click("https:", "example.com", "https://example.com/b.mobi", "", ""),
		click("https:", "example.com", "https://example.com/b.pdf", "", ""), hide)
	if got := kinds(h.events()); got != "pageview@/,download@/" {
		t.Errorf("with data-downloads: %s", got)
	}
}

func TestFormSubmission(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/contact"), rec(RecordForm, "newsletter", "", "", ""), hide)
	ev := h.events()
	if len(ev) != 2 || ev[1].kind != "form" || ev[1].form != "newsletter" || ev[1].path != "/contact" {
		t.Errorf("events %+v", ev)
	}
}

func TestEngagementAndScroll(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/long"))
	h.feed(t0+10_000, rec(RecordActive), rec(RecordScroll, "40"))
	h.feed(t0+20_000, rec(RecordScroll, "75"), rec(RecordScroll, "30")) // the deepest counts
	h.feed(t0+25_000, rec(RecordState, "", "1"))                        // hidden: not engaged
	h.feed(t0+85_000, rec(RecordState, "1", "1"), rec(RecordActive))    // back
	h.feed(t0+95_000, rec(RecordState, "1", ""))                        // lost focus
	h.feed(t0+100_000, hide)
	l := h.leaves()
	if len(l) != 1 {
		t.Fatalf("leaves %+v", l)
	}
	// Engaged: 0–25 s (active at 10 s, idle after 40 s), then 85–95 s.
	if l[0].num != 100_000 || l[0].engaged != 35_000 || l[0].scroll != 75 {
		t.Errorf("leave: duration %d engaged %d scroll %d; want 100000, 35000, 75", l[0].num, l[0].engaged, l[0].scroll)
	}
	h.feed(t0+200_000, rec(RecordState, "1", "1"), rec(RecordActive))
	h.feed(t0+300_000, hide) // idle after 30 s
	if l := h.leaves(); len(l) != 2 || l[1].num != 200_000 || l[1].engaged != IdleMillis {
		t.Errorf("second summary %+v; want the time since the first, engaged until idle", l[len(l)-1])
	}
}

func TestVitalsOncePerLoad(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/"), rec(RecordVitals, "NaN", "", "", "", ""))
	h.feed(t0+1, rec(RecordVitals, "1200", "80", "50", "700", "120"), hide)
	h.feed(t0+2, rec(RecordVitals, "1300", "90", "60", "700", "120"), hide)
	var v []parsedEvent
	for _, e := range h.events() {
		if e.kind == "vitals" {
			v = append(v, e)
		}
	}
	if len(v) != 1 || v[0].vitals != [5]int64{1200, 80, 50, 700, 120} {
		t.Errorf("vitals %+v", v)
	}
}

func TestExperimentsRideOnLaterEvents(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/"), custom("before"))
	h.feed(t0+1, rec(RecordExperiment, "hero", "b", "hero", "b"), custom("after"))
	h.feed(t0+2, rec(RecordExperiment, "nav", "a", "hero", "b", "nav", "a"), custom("later"), hide)
	ev := h.events()
	if got := kinds(ev); got != "pageview@/,custom:before@/,experiment@/,custom:after@/,experiment@/,custom:later@/" {
		t.Fatalf("events %s", got)
	}
	if len(ev[1].exp) != 0 || len(ev[2].exp) != 1 || ev[2].exp[0] != [2]string{"hero", "b"} ||
		len(ev[3].exp) != 1 || ev[4].exp[0] != [2]string{"nav", "a"} || len(ev[5].exp) != 2 {
		t.Errorf("experiments: %+v", ev)
	}
}

// campaignPage is a landing page with a campaign and a Google Ads click id.
func campaignPage() []byte {
	return rec(RecordPage, HowLoad, "example.com", "404", "1280", "/landing", "", "Sale", "en", "UTC",
		"", "", "", "news", "email", "sale", "", "", "gclid", "Cj0KCQ")
}

func TestCampaignAndClickID(t *testing.T) {
	h := newHarness(t) // no policy: the collector decides alone, so no click id value
	h.feed(t0, campaignPage(), hide)
	e := h.events()[0]
	if e.utm != [5]string{"news", "email", "sale", "", ""} || e.click != "gclid" || e.clickID != "" || e.status != 404 {
		t.Errorf("without a decision: %+v", e)
	}
	for _, marketing := range []bool{false, true} {
		p := sitePolicy(consent.BasisConsent)
		h := withPolicyHarness(t, p, fr)
		h.feed(t0+1, campaignPage()) // held until the decision
		grant := rec(RecordConsent, "measurement", "granted")
		if marketing {
			grant = rec(RecordConsent, "measurement", "granted", "marketing", "granted")
		}
		h.feed(t0+2, grant, hide)
		ev := h.events()
		if len(ev) == 0 || ev[0].kind != "pageview" {
			t.Fatalf("marketing %v: events %+v", marketing, ev)
		}
		if want := map[bool]string{true: "Cj0KCQ"}[marketing]; ev[0].clickID != want || ev[0].click != "gclid" {
			t.Errorf("marketing %v: click %q id %q, want id %q", marketing, ev[0].click, ev[0].clickID, want)
		}
	}
}

func TestAutomatedBrowser(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, rec(RecordNav, "", "", "1"), page("https://example.com/"), hide)
	if !h.sent[0].batch.automated {
		t.Errorf("navigator.webdriver not flagged on the batch")
	}
}
