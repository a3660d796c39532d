package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// pageServer serves two pages on http://localhost:PORT whose tag loads the
// tracker from another origin: the collector at collectorURL.
func pageServer(t *testing.T, collectorURL func() string) (origin string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	page := func(title, body string) string {
		return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + title + `</title>
<script defer src="` + collectorURL() + `/crumbless.js" data-site="shop.example" data-dev></script>
<script>window.crumbless = window.crumbless || function () { (window.crumbless.q = window.crumbless.q || []).push(arguments) }</script>
</head><body>` + body + `</body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/page1.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Page one", `<a id="next" href="/page2.html?secret=token#frag">next</a>`))
	})
	mux.HandleFunc("/page2.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Page two: <café>", `<p>second page</p>`))
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
}

// TestCrossOriginVisit is the walking skeleton end to end: a page on one
// origin, the tag pointing at a collector on another, a pageview, an SPA-free
// navigation, a custom event, a tab hide, SIGTERM, then the files read back.
func TestCrossOriginVisit(t *testing.T) {
	data := t.TempDir()
	var col *collector
	pages := pageServer(t, func() string { return col.URL })
	config := filepath.Join(t.TempDir(), "crumbless.yaml")
	writeFile(t, config, fmt.Sprintf("sites:\n  - id: shop.example\n    origins: [%q]\n", pages))
	col = startCollector(t, "-config", config, "-data", data)

	b := newBrowser(t)
	var ua string
	b.run(t,
		chromedp.Navigate(pages+"/page1.html"),
		chromedp.Evaluate(`navigator.userAgent`, &ua),
	)
	waitTracker(t, b)
	// The pageview goes out by fetch once the flush delay has passed.
	b.waitSent(t, network.ResourceTypeFetch, 1)

	b.run(t, chromedp.Click("#next", chromedp.ByID), chromedp.WaitVisible("p", chromedp.ByQuery))
	waitTracker(t, b)
	beaconsBefore := b.sent(network.ResourceTypePing)
	var jar struct {
		Cookie    string `json:"cookie"`
		Local     int    `json:"local"`
		Session   int    `json:"session"`
		IndexedDB int    `json:"idb"`
	}
	b.run(t,
		chromedp.Evaluate(`crumbless('event', 'signup', {plan: 'pro', seats: 3, trial: true})`, nil),
		// A tab switch: the loader must flush at once through sendBeacon.
		chromedp.Evaluate(`Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
			document.dispatchEvent(new Event('visibilitychange'))`, nil),
	)
	b.waitSent(t, network.ResourceTypePing, beaconsBefore+1)
	b.run(t, chromedp.Evaluate(`(async () => ({cookie: document.cookie, local: localStorage.length,
		session: sessionStorage.length, idb: (await indexedDB.databases()).length}))()`, &jar,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if jar.Cookie != "" || jar.Local != 0 || jar.Session != 0 || jar.IndexedDB != 0 {
		t.Errorf("the tracker touched device storage: %+v", jar)
	}
	var cookies []*network.Cookie
	b.run(t, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = storage.GetCookies().Do(ctx)
		return err
	}))
	if len(cookies) != 0 {
		t.Errorf("the browser holds %d cookies, want none: %+v", len(cookies), cookies[0])
	}
	b.run(t, chromedp.Navigate("about:blank"))
	time.Sleep(500 * time.Millisecond) // let the last beacon arrive
	col.stop()

	rows := readRows(t, data)
	checkVisitRows(t, rows, pages)
	checkNoRawIPOrUA(t, data, ua)
	checkDuckDBReads(t, data)
}

func checkVisitRows(t *testing.T, rows []row, pages string) {
	t.Helper()
	byKey := map[string]row{}
	ids := map[string]bool{}
	for _, r := range rows {
		byKey[r.str("type")+" "+r.str("path")] = r
		if ids[r.str("event_id")] {
			t.Errorf("event_id %q appears twice", r.str("event_id"))
		}
		ids[r.str("event_id")] = true
	}
	pv1, pv2, signup := byKey["pageview /page1.html"], byKey["pageview /page2.html"], byKey["custom /page2.html"]
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.str("type")]++
	}
	if pv1 == nil || pv2 == nil || signup == nil || counts["pageview"] != 2 || counts["custom"] != 1 {
		t.Fatalf("want 2 pageviews and 1 custom event, got %d rows: %v", len(rows), rows)
	}
	// Page one, shown for the 2 s flush delay, has its leave summary (page
	// two's is there only if it was shown for a second before it was
	// hidden); each page load has its vitals.
	if byKey["leave /page1.html"] == nil || byKey["vitals /page1.html"] == nil || byKey["vitals /page2.html"] == nil ||
		len(rows) != 3+counts["leave"]+counts["vitals"] {
		t.Errorf("leave summaries and vitals: %v", counts)
	}
	if got := pv2.str("referrer"); got != pages+"/page1.html" {
		t.Errorf("page2 referrer = %q, want %q", got, pages+"/page1.html")
	}
	if pv2.str("title") != "Page two: <café>" || pv1.str("title") != "Page one" {
		t.Errorf("titles: %q, %q", pv1.str("title"), pv2.str("title"))
	}
	if signup.str("name") != "signup" {
		t.Errorf("custom event name %q", signup.str("name"))
	}
	props, _ := signup["props"].(map[string]any)
	if props["plan"] != "pro" || props["seats"] != "3" || props["trial"] != "true" {
		t.Errorf("props = %v", signup["props"])
	}
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, r := range rows {
		if r.str("site") != "shop.example" || r.str("tier") != "T2" {
			t.Errorf("site/tier: %v", r)
		}
		if !hex16.MatchString(r.str("visitor_id")) || r.str("visitor_id") != pv1.str("visitor_id") {
			t.Errorf("visitor_id %q: want 16 hex digits, the same for the whole visit (%q)", r.str("visitor_id"), pv1.str("visitor_id"))
		}
		for _, k := range []string{"ts", "received_at"} {
			ts, err := time.Parse(time.RFC3339Nano, r.str(k))
			if err != nil || time.Since(ts) > time.Minute || !strings.HasSuffix(r.str(k), "Z") {
				t.Errorf("%s = %q: want a recent RFC 3339 UTC time (%v)", k, r.str(k), err)
			}
		}
		for _, k := range []string{"browser", "os", "device"} {
			if r.str(k) == "" {
				t.Errorf("%s missing: %v", k, r)
			}
		}
	}
	for _, pv := range []row{pv1, pv2} {
		if pv.str("viewport") != "lg" || pv.str("lang") == "" || pv.str("tz") == "" {
			t.Errorf("pageview context viewport=%q lang=%q tz=%q", pv.str("viewport"), pv.str("lang"), pv.str("tz"))
		}
	}
}

// checkNoRawIPOrUA reads every file under dir, decompressed, and fails if
// the client's IP or User-Agent (or a telltale part of it) is in any.
func checkNoRawIPOrUA(t *testing.T, dir, ua string) {
	t.Helper()
	outputs := readOutputs(t, dir)
	if len(outputs) == 0 {
		t.Fatal("no output files")
	}
	for rel, content := range outputs {
		if content == nil {
			t.Errorf("unexpected file %s (a partial or foreign file)", rel)
		}
		s := string(content)
		for _, needle := range []string{"127.0.0.1", "::1", ua, "Mozilla/5.0", "AppleWebKit"} {
			if strings.Contains(s, needle) {
				t.Errorf("%s contains %q", rel, needle)
			}
		}
	}
	if !regexp.MustCompile(`^events/site=shop\.example/date=\d{4}-\d{2}-\d{2}/hour=\d{2}/[^/]+\.ndjson\.zst$`).MatchString(firstKey(outputs)) {
		t.Errorf("output path %q is not hive-partitioned", firstKey(outputs))
	}
}

// TestDemoVisitLandsWithinSeconds is `make run` as a new user tries it: the
// demo collector serves the example pages, and a visit is readable in the
// data directory within seconds, while the collector keeps running.
func TestDemoVisitLandsWithinSeconds(t *testing.T) {
	data := t.TempDir()
	col := startCollector(t, "-demo", "-pages", "../../examples/demo-site", "-data", data)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(col.URL+"/"), chromedp.WaitVisible("#signup", chromedp.ByID))
	waitTracker(t, b)
	b.run(t, chromedp.Click("#signup", chromedp.ByID))
	start := time.Now()
	for {
		rows := readRows(t, data)
		if hasEvent(rows, "custom", "signup") && hasEvent(rows, "pageview", "") {
			t.Logf("visit readable after %v", time.Since(start).Round(100*time.Millisecond))
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("after 20s the visit is not in %s: %v", data, rows)
		}
		time.Sleep(250 * time.Millisecond)
	}
	col.stop()
}

func hasEvent(rows []row, typ, name string) bool {
	for _, r := range rows {
		if r.str("type") == typ && (name == "" || r.str("name") == name) {
			return true
		}
	}
	return false
}

func firstKey(m map[string][]byte) string {
	for k := range m {
		return k
	}
	return ""
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
