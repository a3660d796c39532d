package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/crumbless/crumbless/wasm/core"
)

// The capture tests of issue 4: one per capability, each asserted on the
// rows read back from the collector's files.

// captureSite is a collector for the site shop.example, and a page server
// on another origin whose pages load the tag from it.
type captureSite struct {
	origin string // the pages' origin, http://localhost:PORT
	col    *collector
	data   string
	subst  []string // old, new pairs replaced in the pages when served
}

// replace makes the pages served from now on have new in place of old.
func (s *captureSite) replace(old, new string) { s.subst = append(s.subst, old, new) }

// newCaptureSite starts both. siteYAML is added to the site's config
// (indented four spaces, under "- id: shop.example"); pages maps a path to
// its HTML, where TAG stands for the tracker's script tag with the stub and
// COLLECTOR for the collector's URL. A path ending in "@404" is served
// with that status, without the suffix.
func newCaptureSite(t *testing.T, siteYAML, tagAttrs string, pages map[string]string) *captureSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &captureSite{origin: fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port), data: t.TempDir()}
	config := filepath.Join(t.TempDir(), "crumbless.yaml")
	writeFile(t, config, fmt.Sprintf("sites:\n  - id: shop.example\n    origins: [%q]\n%s", s.origin, siteYAML))
	s.col = startCollector(t, "-config", config, "-data", s.data)
	tag := `<script>window.crumbless = window.crumbless || function () { (window.crumbless.q = window.crumbless.q || []).push(arguments) }</script>
<script defer src="` + s.col.URL + `/crumbless.js" data-site="shop.example" ` + tagAttrs + `></script>`
	mux := http.NewServeMux()
	for path, html := range pages {
		status := http.StatusOK
		if p, ok := strings.CutSuffix(path, "@404"); ok {
			path, status = p, http.StatusNotFound
		}
		body := strings.ReplaceAll(strings.ReplaceAll(html, "TAG", tag), "COLLECTOR", s.col.URL)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprint(w, strings.NewReplacer(s.subst...).Replace(body))
		})
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// page is a minimal HTML page with the tag in its head.
func htmlPage(title, body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + title + `</title>TAG</head><body>` + body + `</body></html>`
}

// rows leaves the page (its last batch goes by beacon), stops the
// collector and returns every row, in event time order.
func (s *captureSite) rows(t *testing.T, b *browser) []row {
	t.Helper()
	b.run(t, chromedp.Navigate("about:blank"))
	time.Sleep(700 * time.Millisecond) // let the last beacon arrive
	s.col.stop()
	rows := readRows(t, s.data)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].str("ts") < rows[j].str("ts") })
	ids := map[string]bool{}
	for _, r := range rows {
		if ids[r.str("event_id")] {
			t.Errorf("event_id %s appears twice", r.str("event_id"))
		}
		ids[r.str("event_id")] = true
	}
	return rows
}

// ofType returns the rows of one type.
func ofType(rows []row, typ string) []row {
	var out []row
	for _, r := range rows {
		if r.str("type") == typ {
			out = append(out, r)
		}
	}
	return out
}

// fields lists one field of rows, as "a,b,c".
func fields(rows []row, key string) string {
	var s []string
	for _, r := range rows {
		s = append(s, fmt.Sprint(r[key]))
	}
	return strings.Join(s, ",")
}

// settle waits for the loader's SPA settle (50 ms) and the module.
func settle() chromedp.Action { return chromedp.Sleep(250 * time.Millisecond) }

func TestHistoryRouterPageviews(t *testing.T) {
	router := `<script>var titles = {'/app': 'App', '/app/products': 'Products', '/app/products/7': 'Product 7'};
function go(path) { history.pushState({}, '', path); document.title = titles[path] }
addEventListener('popstate', () => { document.title = titles[location.pathname] })</script>
<button id="products" onclick="go('/app/products')">products</button>
<button id="seven" onclick="go('/app/products/7')">seven</button>
<button id="sort" onclick="history.replaceState({}, '', location.pathname + '?sort=price')">sort</button>`
	s := newCaptureSite(t, "", "data-dev", map[string]string{"/app": htmlPage("App", router)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/app"))
	waitTracker(t, b)
	b.run(t,
		chromedp.Click("#products", chromedp.ByID), settle(),
		chromedp.Click("#seven", chromedp.ByID), settle(),
		chromedp.Click("#sort", chromedp.ByID), settle(), // same path: not a new page
		chromedp.Evaluate(`history.back()`, nil), settle(), // popstate: back to /app/products
	)
	rows := s.rows(t, b)
	pv := ofType(rows, "pageview")
	if got := fields(pv, "path"); got != "/app,/app/products,/app/products/7,/app/products" {
		t.Fatalf("pageview paths %s", got)
	}
	if got := fields(pv, "title"); got != "App,Products,Product 7,Products" {
		t.Errorf("titles %s: each view's own", got)
	}
	if got := fields(pv[1:], "referrer"); got != s.origin+"/app,"+s.origin+"/app/products,"+s.origin+"/app/products/7" {
		t.Errorf("SPA referrers %s: want the previous view's URL", got)
	}
	// Each view a navigation replaced has its summary; the last, shown for
	// less than a second before the page closed, has none.
	if leaves := ofType(rows, "leave"); fields(leaves, "path") != "/app,/app/products,/app/products/7" {
		t.Errorf("leave summaries for %s", fields(leaves, "path"))
	}
}

func TestHashRouterPageviews(t *testing.T) {
	links := `<a id="users" href="#/users">users</a> <a id="seven" href="#/users/7">seven</a> <a id="top" href="#top">top</a>`
	s := newCaptureSite(t, "", "data-dev data-hash", map[string]string{"/hash": htmlPage("Hash", links)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/hash"))
	waitTracker(t, b)
	b.run(t,
		chromedp.Click("#users", chromedp.ByID), settle(),
		chromedp.Click("#seven", chromedp.ByID), settle(),
		chromedp.Click("#top", chromedp.ByID), settle(), // an anchor: a page for the tracker, not a route for the edge
	)
	pv := ofType(s.rows(t, b), "pageview")
	if got := fields(pv, "path"); got != "/hash,/hash#/users,/hash#/users/7,/hash" {
		t.Errorf("pageview paths %s: want the hash routes kept", got)
	}
}

func TestHashChangesWithoutDataHashAreOnePage(t *testing.T) {
	links := `<a id="users" href="#/users">users</a>`
	s := newCaptureSite(t, "", "data-dev", map[string]string{"/hash": htmlPage("Hash", links)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/hash"))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#users", chromedp.ByID), settle())
	if pv := ofType(s.rows(t, b), "pageview"); fields(pv, "path") != "/hash" {
		t.Errorf("pageviews %s: a hash change is not a page without data-hash", fields(pv, "path"))
	}
}

func TestBackForwardCacheRestoreCountsOnce(t *testing.T) {
	pages := map[string]string{
		"/a": htmlPage("A", `<a id="b" href="/b">b</a><script>addEventListener('pageshow', e => { if (e.persisted) window.restored = (window.restored || 0) + 1 })</script>`),
		"/b": htmlPage("B", `<p>b</p>`),
	}
	s := newCaptureSite(t, "", "data-dev", pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/a"))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#b", chromedp.ByID), chromedp.WaitVisible("p", chromedp.ByQuery))
	waitTracker(t, b)
	var restored int
	b.run(t, chromedp.Evaluate(`history.back()`, nil), chromedp.Sleep(time.Second),
		chromedp.Evaluate(`window.restored || 0`, &restored))
	if restored != 1 {
		t.Fatalf("page /a was not restored from the back/forward cache (restored %d): the test needs it", restored)
	}
	b.run(t, settle())
	pv := ofType(s.rows(t, b), "pageview")
	if got := fields(pv, "path"); got != "/a,/b,/a" {
		t.Errorf("pageviews %s: want the restore counted once", got)
	}
}

func TestLinksFormsAndDeclarativeEvents(t *testing.T) {
	body := `<article data-crumbless-content="post-7" data-crumbless-content-group="blog" data-crumbless-content-origin="ai">
<a id="out" href="https://other.example/pricing?ref=shop" onclick="event.preventDefault()">other</a>
<a id="pdf" href="/files/report.pdf?v=2" onclick="event.preventDefault()">report</a>
<a id="export" href="/export" download onclick="event.preventDefault()">export</a>
<a id="inside" href="/about" onclick="event.preventDefault()">about</a>
<button id="cta" data-crumbless-event="cta" data-crumbless-prop-plan="pro" data-crumbless-prop-seats="3">Buy</button>
</article>
<form id="newsletter" onsubmit="event.preventDefault()"><input name="email" value="jane.doe@example.com"><button id="join">Join</button></form>`
	s := newCaptureSite(t, "", "data-dev", map[string]string{"/links": htmlPage("Links", body)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/links"))
	waitTracker(t, b)
	b.run(t,
		chromedp.Click("#out", chromedp.ByID), chromedp.Click("#pdf", chromedp.ByID),
		chromedp.Click("#export", chromedp.ByID), chromedp.Click("#inside", chromedp.ByID),
		chromedp.Click("#cta", chromedp.ByID), chromedp.Click("#join", chromedp.ByID),
		chromedp.Evaluate(`crumbless('event', 'signup', {plan: 'pro'})`, nil), settle(),
	)
	rows := s.rows(t, b)
	got := map[string][]row{}
	for _, r := range rows {
		got[r.str("type")] = append(got[r.str("type")], r)
	}
	if out := got["outbound"]; len(out) != 1 || out[0].str("url") != "https://other.example/pricing" {
		t.Errorf("outbound rows %v: want the link without its query", out)
	}
	if dl := got["download"]; fields(dl, "url") != s.origin+"/files/report.pdf,"+s.origin+"/export" {
		t.Errorf("download rows %s", fields(dl, "url"))
	}
	custom := got["custom"]
	if fields(custom, "name") != "cta,signup" {
		t.Fatalf("custom rows %s", fields(custom, "name"))
	}
	props, _ := custom[0]["props"].(map[string]any)
	if props["plan"] != "pro" || props["seats"] != "3" {
		t.Errorf("declarative props %v", custom[0]["props"])
	}
	for _, r := range append(append(got["outbound"], got["download"]...), custom[0]) {
		if r.str("content_id") != "post-7" || r.str("content_group") != "blog" || r.str("content_origin") != "ai" {
			t.Errorf("%s row content %q %q %q: want the clicked element's", r.str("type"), r.str("content_id"), r.str("content_group"), r.str("content_origin"))
		}
	}
	if f := got["form"]; len(f) != 1 || f[0].str("form") != "newsletter" {
		t.Errorf("form rows %v", f)
	}
	for rel, content := range readOutputs(t, s.data) {
		if strings.Contains(string(content), "jane") {
			t.Errorf("%s holds the form field's value", rel)
		}
	}
}

func TestScrollEngagementAndLeaveSummary(t *testing.T) {
	s := newCaptureSite(t, "", "data-dev", map[string]string{"/long": htmlPage("Long", `<div style="height:6000px">long</div><p id="end">end</p>`)})
	b := newBrowser(t)
	// A headless window never has the focus: emulate it, as a visitor's tab has.
	b.run(t, emulation.SetFocusEmulationEnabled(true), chromedp.Navigate(s.origin+"/long"))
	waitTracker(t, b)
	for i := 0; i <= 10; i++ {
		b.run(t, chromedp.Evaluate(fmt.Sprintf(`window.scrollTo(0, %d)`, i*540), nil), chromedp.Sleep(120*time.Millisecond))
	}
	b.run(t, chromedp.Evaluate(`window.scrollTo(0, 0)`, nil), chromedp.Sleep(300*time.Millisecond))
	leaves := ofType(s.rows(t, b), "leave")
	if len(leaves) != 1 {
		t.Fatalf("leave rows %v", leaves)
	}
	l := leaves[0]
	scroll, _ := l["scroll"].(float64)
	duration, _ := l["duration"].(float64)
	engaged, _ := l["engaged"].(float64)
	if scroll < 95 || duration < 1000 || engaged <= 0 || engaged > duration {
		t.Errorf("leave summary scroll %v duration %v engaged %v: want the deepest scroll (bottom), the time on the page, engaged time within it", scroll, duration, engaged)
	}
}

func TestNotFoundPagesAndWebVitals(t *testing.T) {
	pages := map[string]string{
		// The click handler takes 60 ms: an interaction INP reports.
		"/missing@404": htmlPage("Not found", `<h1>Nothing here</h1><button id="b" onclick="for (var t = performance.now(); performance.now() - t < 60;); this.textContent='ok'">try</button>`),
		"/spa":         htmlPage("SPA", `<h1>App</h1><button id="gone" onclick="history.pushState({}, '', '/spa/gone'); document.documentElement.setAttribute('data-crumbless-status', '404')">gone</button>`),
	}
	s := newCaptureSite(t, "", "data-dev", pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/missing"))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#b", chromedp.ByID), chromedp.Sleep(200*time.Millisecond))
	b.run(t, chromedp.Navigate(s.origin+"/spa"))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#gone", chromedp.ByID), settle())
	rows := s.rows(t, b)
	pv := ofType(rows, "pageview")
	if got := fields(pv, "path") + " " + fields(pv, "status"); got != "/missing,/spa,/spa/gone 404,<nil>,404" {
		t.Errorf("pageviews and statuses: %s", got)
	}
	vitals := ofType(rows, "vitals")
	if len(vitals) != 2 {
		t.Fatalf("vitals rows %v: want one per page load", vitals)
	}
	v := vitals[0]
	for _, k := range []string{"lcp", "fcp", "ttfb", "inp"} {
		if n, _ := v[k].(float64); n <= 0 {
			t.Errorf("vitals %s = %v on %s", k, v[k], v.str("path"))
		}
	}
}

func TestCampaignChannelAndGoals(t *testing.T) {
	site := `    consent:
      query_allowlist: [q]
    goals:
      - {name: pricing, path: /pricing, stage: consideration}
      - {name: signup, event: signup, stage: conversion}
`
	pages := map[string]string{
		"/landing": htmlPage("Sale", `<p>sale</p>`),
		"/pricing": htmlPage("Pricing", `<p>pricing</p>`),
	}
	s := newCaptureSite(t, site, `data-dev data-query="q"`, pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/landing?utm_source=newsletter&utm_medium=email&utm_campaign=nov&gclid=Cj0KCQ&q=shoes&session=abc"))
	waitTracker(t, b)
	b.run(t, chromedp.ActionFunc(func(ctx context.Context) error {
		_, _, _, _, err := page.Navigate(s.origin + "/pricing").WithReferrer("http://www.google.com/").Do(ctx) // (an https referrer would not reach an http page)
		return err
	}), chromedp.Sleep(time.Second), chromedp.WaitReady("p", chromedp.ByQuery))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'signup', {plan: 'pro'})`, nil), settle())
	rows := s.rows(t, b)
	pv := ofType(rows, "pageview")
	if len(pv) != 2 {
		t.Fatalf("pageviews %v", pv)
	}
	l := pv[0]
	if l.str("path") != "/landing?q=shoes" || l.str("utm_source") != "newsletter" || l.str("utm_medium") != "email" ||
		l.str("utm_campaign") != "nov" || l.str("click") != "gclid" || l["click_id"] != nil || l.str("channel") != "paid_search" {
		t.Errorf("landing pageview %v: want the allowed query, the campaign, the click id's name but not its value (no marketing consent), channel paid_search (an ad click)", l)
	}
	if p := pv[1]; p.str("channel") != "organic_search" || p.str("goal") != "pricing" || p.str("stage") != "consideration" {
		t.Errorf("pricing pageview channel %q goal %q stage %q: %v", p.str("channel"), p.str("goal"), p.str("stage"), p)
	}
	if c := ofType(rows, "custom"); len(c) != 1 || c[0].str("goal") != "signup" || c[0].str("stage") != "conversion" {
		t.Errorf("signup rows %v", c)
	}
}

func TestExperimentsAndContent(t *testing.T) {
	body := `<body data-crumbless-content="guide-3" data-crumbless-content-group="guides" data-crumbless-content-origin="human"><p>guide</p>`
	html := strings.Replace(htmlPage("Guide", ""), "<body>", body, 1)
	s := newCaptureSite(t, "", "data-dev", map[string]string{"/guide": html})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/guide"))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('experiment', 'hero', 'b'); crumbless('experiment', 'hero', 'b');
		crumbless('event', 'cta'); crumbless('experiment', 'cta-color', 'green'); crumbless('event', 'cta2')`, nil), settle())
	rows := s.rows(t, b)
	if x := ofType(rows, "experiment"); len(x) != 2 || fmt.Sprint(x[0]["exp"]) != "map[hero:b]" || fmt.Sprint(x[1]["exp"]) != "map[cta-color:green]" {
		t.Errorf("experiment rows %v: one per new exposure", x)
	}
	c := ofType(rows, "custom")
	if len(c) != 2 || fmt.Sprint(c[0]["exp"]) != "map[hero:b]" || fmt.Sprint(c[1]["exp"]) != "map[cta-color:green hero:b]" {
		t.Errorf("custom rows %v: the variants ride on later events", c)
	}
	for _, r := range append(ofType(rows, "pageview"), c...) {
		if r.str("content_id") != "guide-3" || r.str("content_group") != "guides" || r.str("content_origin") != "human" {
			t.Errorf("%s row content %q %q %q", r.str("type"), r.str("content_id"), r.str("content_group"), r.str("content_origin"))
		}
	}
}

func TestHygiene(t *testing.T) {
	pages := map[string]string{
		"/users/jane.doe@example.com/orders": htmlPage("Orders of jane.doe@example.com", `<p>orders</p>`),
	}
	s := newCaptureSite(t, "    consent:\n      query_allowlist: [q, email]\n", `data-dev data-query="q,email"`, pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/users/jane.doe@example.com/orders?q=shoes&email=jane.doe%40example.com&token=eyJhbGciOiJIUzI1NiJ9.x.y"))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'contact', {from: 'jane.doe@example.com', key: '8f3kQ29xLmZp7RtA0cVbN4sWqY1uE6hD'})`, nil), settle())
	rows := s.rows(t, b)
	pv := ofType(rows, "pageview")
	if len(pv) != 1 || pv[0].str("path") != "/users/[email]/orders?q=shoes&email=[email]" || pv[0].str("title") != "Orders of [email]" {
		t.Errorf("pageview %v: want e-mail addresses scrubbed and only the allowed parameters", pv)
	}
	for _, r := range rows {
		if r["automated"] != true {
			t.Errorf("%s row automated = %v: headless Chromium has navigator.webdriver", r.str("type"), r["automated"])
		}
	}
	for rel, content := range readOutputs(t, s.data) {
		for _, needle := range []string{"jane", "8f3kQ29x", "eyJhbGci", "token="} {
			if strings.Contains(string(content), needle) {
				t.Errorf("%s holds %q", rel, needle)
			}
		}
	}
}

func TestLocalPagesAreIgnoredWithoutDataDev(t *testing.T) {
	s := newCaptureSite(t, "", "", map[string]string{"/p": htmlPage("Local", `<p>local</p>`)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/p"))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'e')`, nil), chromedp.Sleep(2500*time.Millisecond))
	if rows := s.rows(t, b); len(rows) != 0 || b.sent(network.ResourceTypeFetch)+b.sent(network.ResourceTypePing) != 0 {
		t.Errorf("a localhost page without data-dev sent %d requests, %d rows", b.sent(network.ResourceTypeFetch)+b.sent(network.ResourceTypePing), len(rows))
	}
}

func TestSelfExclusionByNetwork(t *testing.T) {
	s := newCaptureSite(t, "    exclude_networks: [127.0.0.0/8, \"::1/128\"]\n", "data-dev", map[string]string{"/p": htmlPage("Mine", `<p>mine</p>`)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/p"))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'e')`, nil), settle())
	hidePage(t, b)
	if rows := s.rows(t, b); len(rows) != 0 {
		t.Errorf("%d rows from an excluded network", len(rows))
	}
}

// faultProxy stands in front of the collector and answers the first n
// POSTs to /e with 503 and Retry-After: 1, as an overloaded edge would.
func faultProxy(t *testing.T, target string, n int) (url string, failed *atomic.Int32) {
	t.Helper()
	u, err := neturl.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	failed = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/e" && failed.Load() < int32(n) {
			failed.Add(1)
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, failed
}

func TestDeliveryRetriesAndOffline(t *testing.T) {
	s := newCaptureSite(t, "", "data-dev data-api=PROXY/e", map[string]string{"/p": htmlPage("Retry", `<p>retry</p>`)})
	proxyURL, failed := faultProxy(t, s.col.URL, 2) // the tag's data-api points at it
	s.replace("PROXY", proxyURL)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/p"))
	waitTracker(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'first')`, nil))
	// The first batch goes after the 2 s flush delay, meets two 503s, and
	// is sent again after Retry-After each time.
	deadline := time.Now().Add(15 * time.Second)
	for failed.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if failed.Load() < 2 {
		t.Fatalf("the proxy refused %d batches, want 2", failed.Load())
	}
	b.run(t, chromedp.Sleep(3*time.Second))
	// Offline: the next batch, due after the later flush delay, waits for
	// the browser to be online.
	later := time.Duration(core.LaterFlushDelayMillis)*time.Millisecond + time.Second
	b.run(t, network.Enable(), network.EmulateNetworkConditions(true, 0, -1, -1),
		chromedp.Evaluate(`crumbless('event', 'offline')`, nil), chromedp.Sleep(later))
	sentOffline := b.sent(network.ResourceTypeFetch)
	b.run(t, network.EmulateNetworkConditions(false, 0, -1, -1), chromedp.Sleep(1500*time.Millisecond))
	if b.sent(network.ResourceTypeFetch) <= sentOffline {
		t.Errorf("nothing was sent when the browser came back online")
	}
	rows := s.rows(t, b)
	names := map[string]int{}
	for _, r := range rows {
		names[r.str("type")+":"+r.str("name")]++
	}
	if names["pageview:"] != 1 || names["custom:first"] != 1 || names["custom:offline"] != 1 {
		t.Errorf("rows %v: want the pageview and both events exactly once", names)
	}
}

// TestClickIDOnlyUnderMarketingConsent lands on a page from an ad click
// (gclid) under a consent policy: the pageview waits for the visitor's
// choice, and its row has the click id's value only when the choice
// grants marketing.
func TestClickIDOnlyUnderMarketingConsent(t *testing.T) {
	for _, marketing := range []bool{false, true} {
		page, col, data := consentSite(t, "      basis: consent\n      authority: api\n      wait_for_consent: 5s\n", "")
		b := newBrowser(t)
		visit(t, b, col.URL, page+"?utm_source=ads&gclid=Cj0KCQ", map[string]string{"CF-IPCountry": "DE"})
		choice := `{measurement: 'granted'}`
		if marketing {
			choice = `{measurement: 'granted', marketing: 'granted'}`
		}
		b.run(t, chromedp.Evaluate(`crumbless('consent', `+choice+`)`, nil), chromedp.Sleep(300*time.Millisecond))
		hidePage(t, b)
		rows := eventRows(t, col, data)
		if len(rows) != 1 || rows[0].str("type") != "pageview" {
			t.Fatalf("marketing %v: rows %s", marketing, rowNames(rows))
		}
		want := map[bool]string{true: "Cj0KCQ"}[marketing]
		if r := rows[0]; r.str("click") != "gclid" || r.str("click_id") != want || r.str("utm_source") != "ads" {
			t.Errorf("marketing %v: click %q click_id %q utm_source %q, want click_id %q", marketing, r.str("click"), r.str("click_id"), r.str("utm_source"), want)
		}
	}
}

// TestLeavingSoonAfterANavigation: a single-page navigation the page
// leaves before the loader's 50 ms settle, and an event sent after the tab
// was hidden, when the page is then closed, both land.
func TestLeavingSoonAfterANavigation(t *testing.T) {
	pages := map[string]string{
		"/a": htmlPage("A", `<button id="go" onclick="history.pushState({}, '', '/a/view'); setTimeout(() => { location.href = '/b' }, 20)">go</button>`),
		"/b": htmlPage("B", `<p>b</p>`),
	}
	s := newCaptureSite(t, "", "data-dev", pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/a"))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#go", chromedp.ByID), chromedp.WaitVisible("p", chromedp.ByQuery))
	waitTracker(t, b)
	hidePage(t, b)
	b.run(t, chromedp.Evaluate(`crumbless('event', 'after-hide')`, nil), chromedp.Sleep(300*time.Millisecond))
	rows := s.rows(t, b)
	if got := fields(ofType(rows, "pageview"), "path"); got != "/a,/a/view,/b" {
		t.Errorf("pageviews %s: want the view left within its settle time", got)
	}
	if c := ofType(rows, "custom"); len(c) != 1 || c[0].str("name") != "after-hide" {
		t.Errorf("custom rows %v: want the event sent after the hide", c)
	}
}
