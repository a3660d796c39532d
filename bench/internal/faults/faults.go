// Package faults measures delivery under faults: scripted browser sessions
// in headless Chromium against a real collector, with reloads, tab closes,
// back/forward-cache navigations, offline periods (CDP network emulation)
// and a fault proxy in front of the collector (503 with Retry-After,
// dropped connections, answers lost after the collector took the batch).
// After the sessions it stops the collector gracefully, reads every output
// file and compares what the scripts made the pages produce with what is in
// the files.
//
// "Produced" means the events each session's script caused and that the
// tracker is documented to send: pageviews (each load, reload, SPA
// navigation to a new path, history.back within the SPA, and back/forward
// navigation, whether restored from the back/forward cache or loaded
// again), custom events (crumbless('event', …)) and outbound link clicks.
// The harness counts them from the script, not from the wire. Leave
// summaries and vitals are not counted as produced: whether and when a
// browser gives the page a hide to send them is the browser's call (a
// closed tab, a page frozen in the cache); they are reported separately,
// from the wire, as "sent at least once vs in the files".
//
// What the harness does not do, because the tracker documents the loss: it
// never unloads a page while it is offline (below T3 waiting batches live
// only in memory) or while the proxy is still failing (a beacon is not
// retried); every fault ends while the page is open.
//
// Each session runs in a window of its own, so that its page is hidden
// only when its script leaves it. Config.SharedWindow runs them as tabs of
// one window instead, where opening a tab hides the others at random
// moments: that mode finds the losses of a page hidden (not closed) during
// a fault or right after an SPA navigation (bench/RESULTS.md).
//
// Event ids are checked on the wire too: the proxy decodes every batch
// that reaches it (gzip or not), so a missing event is reported with every
// attempt that carried it, and the session's script.
package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/crumbless/crumbless/internal/rig"
)

// Site is the site id the pages send for.
const Site = "faults.test"

// Config is one run.
type Config struct {
	Sessions int
	Parallel int   // sessions at once, each in a window of its own
	Seed     int64 // the scripts are drawn from it
	Chromium string
	// Timeout bounds the whole run.
	Timeout time.Duration
	Logf    func(format string, args ...any)
	// SharedWindow opens every session as a tab of one window instead of a
	// window of its own: the tabs then hide each other at random.
	SharedWindow bool
	// Dump, when set, is a directory to write every attempt and row to.
	Dump string
}

func dump(dir string, atts []attempt, rows []rig.Row) {
	os.MkdirAll(dir, 0o755)
	var b strings.Builder
	for _, a := range atts {
		ev, _ := json.Marshal(a.events)
		fmt.Fprintf(&b, "%s %s beacon=%v gz=%v outcome=%q status=%d reason=%q %s\n", a.at.Format("15:04:05.000"), a.sid, a.beacon, a.gzipped, a.outcome, a.status, a.reason, ev)
	}
	os.WriteFile(filepath.Join(dir, "attempts.txt"), []byte(b.String()), 0o644)
	b.Reset()
	for _, r := range rows {
		j, _ := json.Marshal(r)
		b.Write(j)
		b.WriteByte('\n')
	}
	os.WriteFile(filepath.Join(dir, "rows.ndjson"), []byte(b.String()), 0o644)
}

// Run runs the sessions and reads the files back.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	tmp, err := os.MkdirTemp("", "crumbless-faults-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin, err := rig.BuildCollector(tmp)
	if err != nil {
		return nil, err
	}

	pagesLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	proxyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	pagesURL := "http://" + pagesLn.Addr().String()
	proxyURL := "http://" + proxyLn.Addr().String()
	// Outbound links point at the page server under another host name.
	outURL := fmt.Sprintf("http://localhost:%d", pagesLn.Addr().(*net.TCPAddr).Port)

	data := filepath.Join(tmp, "data")
	config := filepath.Join(tmp, "crumbless.yaml")
	if err := os.WriteFile(config, fmt.Appendf(nil, "sites:\n  - id: %s\n    origins: [%q]\n", Site, pagesURL), 0o644); err != nil {
		return nil, err
	}
	col, err := rig.StartCollector(bin, "-config", config, "-data", data)
	if err != nil {
		return nil, err
	}
	defer col.Kill()

	px := newProxy(col.URL)
	proxySrv := &http.Server{Handler: px}
	go proxySrv.Serve(proxyLn)
	defer proxySrv.Close()
	pageSrv := &http.Server{Handler: pageHandler(col.URL, proxyURL)}
	go pageSrv.Serve(pagesLn)
	defer pageSrv.Close()

	bctx, stop, err := rig.Browser(ctx, cfg.Chromium)
	if err != nil {
		return nil, err
	}
	defer stop()

	start := time.Now()
	sessions := make([]*session, cfg.Sessions)
	jobs := make(chan *session)
	var wg sync.WaitGroup
	for range max(1, cfg.Parallel) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				s.run(bctx)
				cfg.Logf("session %s: %d steps, %d expected, hidden %d, err=%v", s.id, len(s.log), len(s.expect), s.hidden, s.err)
			}
		}()
	}
	for i := range sessions {
		sessions[i] = &session{
			id: fmt.Sprintf("s%03d", i), rng: rand.New(rand.NewSource(cfg.Seed + int64(i))),
			pages: pagesURL, out: outURL, proxy: px, sharedWindow: cfg.SharedWindow,
		}
		select {
		case jobs <- sessions[i]:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	time.Sleep(time.Second) // beacons of the last closed tabs
	stop()
	time.Sleep(500 * time.Millisecond)
	if err := col.Stop(); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, col.Log())
	}
	rows, err := rig.ReadRows(data)
	if err != nil {
		return nil, err
	}
	atts := px.snapshot()
	if cfg.Dump != "" {
		dump(cfg.Dump, atts, rows)
	}
	r := report(sessions, atts, rows)
	r.Elapsed = elapsed
	r.Parallel = cfg.Parallel
	r.Seed = cfg.Seed
	r.SharedWindow = cfg.SharedWindow
	return r, ctx.Err()
}

// pageHandler serves the session pages: any /f/SESSION/... path is the
// same page, whose tag sends to the proxy under the session's name.
// BFCache-friendly: no unload handler, no Cache-Control: no-store.
func pageHandler(colURL, proxyURL string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/f/", func(w http.ResponseWriter, r *http.Request) {
		sid, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/f/"), "/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>%s %s</title>
<script>window.crumbless = window.crumbless || function () { (window.crumbless.q = window.crumbless.q || []).push(arguments) }</script>
<script defer src="%s/crumbless.js" data-site="%s" data-dev data-api="%s/s/%s/e"></script>
<script>
window.__restores = 0;
addEventListener('pageshow', function (e) { if (e.persisted) window.__restores++ });
window.__hidden = 0;
document.addEventListener('visibilitychange', function () { if (document.visibilityState == 'hidden') window.__hidden++ });
</script>
</head><body>
<h1>%s</h1>
<a id="out" href="/">outbound</a>
<div style="height: 3000px">content</div>
<script>document.getElementById('out').addEventListener('click', function (e) { e.preventDefault() })</script>
</body></html>`, sid, r.URL.Path, colURL, Site, proxyURL, sid, r.URL.Path)
	})
	mux.HandleFunc("/out/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "outbound") })
	return mux
}

// expected is one event a session's script made its page produce.
type expected struct {
	typ, key string // key: the path of a pageview, the n prop of a custom event, the url of an outbound click
	step     int
}

type session struct {
	id         string
	rng        *rand.Rand
	pages, out string
	proxy      *proxy
	// sharedWindow opens the session as a tab of the browser's one window,
	// where tabs hide one another: hides the script did not ask for.
	sharedWindow bool

	ctx      context.Context
	path     string   // the current page's path
	stack    []string // the SPA paths pushed in the current document, from its load
	n        int
	expect   []expected
	log      []string
	restores int // BFCache restores seen
	bfSteps  int
	hidden   int // visibilitychange to hidden seen by the last document
	err      error
}

func (s *session) logf(format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

func (s *session) want(typ, key string) {
	s.expect = append(s.expect, expected{typ, key, len(s.log)})
}

func (s *session) sleep(lo, hi int) {
	time.Sleep(time.Duration(lo+s.rng.Intn(hi-lo+1)) * time.Millisecond)
}

func (s *session) do(actions ...chromedp.Action) {
	if s.err != nil {
		return
	}
	if err := chromedp.Run(s.ctx, actions...); err != nil {
		s.err = fmt.Errorf("step %d (%s): %w", len(s.log), s.log[len(s.log)-1], err)
	}
}

func (s *session) eval(js string) { s.do(evaluate(js, nil)) }

// evaluate runs js in the page's current main-world context. It is not
// chromedp.Evaluate, which keeps the execution context it knew and fails
// after a back/forward-cache restore.
func evaluate(js string, out any) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		res, exc, err := runtime.Evaluate(js).WithReturnByValue(true).Do(ctx)
		if err != nil {
			return err
		}
		if exc != nil {
			return fmt.Errorf("%s: %s", js, exc.Text)
		}
		if out != nil && res != nil && len(res.Value) > 0 {
			return json.Unmarshal(res.Value, out)
		}
		return nil
	})
}

// poll waits until js is true in the page.
func (s *session) poll(js string) {
	deadline := time.Now().Add(20 * time.Second)
	for s.err == nil {
		var ok bool
		if err := chromedp.Run(s.ctx, evaluate(js, &ok)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			s.err = fmt.Errorf("step %d (%s): waited 20s for %s", len(s.log), s.log[len(s.log)-1], js)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitTracker waits for the module to be fetched, then for the loader to
// have instantiated it. The harness measures delivery, not a visitor who
// leaves before the tag has loaded (that pageview is not produced).
func (s *session) waitTracker() {
	s.poll(`performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm') && e.responseEnd > 0)`)
	time.Sleep(250 * time.Millisecond)
}

// load navigates to path and counts its pageview.
func (s *session) load(path string) {
	s.do(chromedp.Navigate(s.pages + path))
	s.path, s.stack = path, []string{path}
	s.want("pageview", path)
	s.waitTracker()
}

func (s *session) run(parent context.Context) {
	// Each session in a window of its own: tabs of one window hide each
	// other (a new tab makes the others hidden), which would add hides the
	// script did not ask for.
	c := chromedp.FromContext(parent)
	id, err := target.CreateTarget("about:blank").WithNewWindow(!s.sharedWindow).Do(cdp.WithExecutor(parent, c.Browser))
	if err != nil {
		s.err = err
		return
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithTargetID(id))
	defer cancel()
	var stop context.CancelFunc
	s.ctx, stop = context.WithTimeout(ctx, 90*time.Second)
	defer stop()
	s.logf("open")
	s.do(network.Enable())
	s.load("/f/" + s.id + "/")
	steps := 6 + s.rng.Intn(7)
	for i := 0; i < steps && s.err == nil; i++ {
		s.step()
	}
	// End every fault while the page is open, then leave: close the tab
	// (the target) or navigate away. Either way the page is hidden and must
	// send what it holds by beacon.
	s.proxy.clear(s.id)
	s.do(network.EmulateNetworkConditions(false, 0, -1, -1))
	var hidden int
	s.do(evaluate(`window.__hidden`, &hidden))
	s.hidden += hidden
	if s.rng.Intn(2) == 0 {
		s.logf("close tab")
		chromedp.Cancel(ctx)
	} else {
		s.logf("navigate away")
		s.do(chromedp.Navigate("about:blank"))
		time.Sleep(200 * time.Millisecond)
		chromedp.Cancel(ctx)
	}
}

// step runs one scripted action, drawn at random.
func (s *session) step() {
	switch k := s.rng.Intn(100); {
	case k < 18:
		s.events()
	case k < 30:
		s.spa()
	case k < 36:
		s.spaBack()
	case k < 42:
		s.outbound()
	case k < 52:
		s.logf("reload")
		s.do(chromedp.Reload())
		s.stack = []string{s.path}
		s.want("pageview", s.path)
		s.waitTracker()
	case k < 62:
		s.bfcache()
	case k < 72:
		s.offline()
	case k < 90:
		s.fault([]string{mode503, modeDrop, modeAckLoss}[s.rng.Intn(3)])
	default:
		s.logf("wait")
		s.sleep(500, 2500)
	}
}

func (s *session) events() {
	for range 1 + s.rng.Intn(3) {
		s.n++
		s.logf("event %d", s.n)
		s.eval(fmt.Sprintf(`crumbless('event', 'ev', {sid: %q, n: '%d'})`, s.id, s.n))
		s.want("custom", fmt.Sprint(s.n))
		s.sleep(0, 300)
	}
}

func (s *session) spa() {
	s.n++
	path := fmt.Sprintf("/f/%s/v%d", s.id, s.n)
	s.logf("pushState %s", path)
	s.eval(fmt.Sprintf(`history.pushState({}, '', %q); document.title = 'view %d'`, path, s.n))
	s.path, s.stack = path, append(s.stack, path)
	s.want("pageview", path)
	s.sleep(150, 400) // the loader waits 50 ms for the router to settle
}

// spaBack goes back within the document: popstate, a pageview of the
// previous view.
func (s *session) spaBack() {
	if len(s.stack) < 2 {
		s.spa()
		return
	}
	s.stack = s.stack[:len(s.stack)-1]
	s.path = s.stack[len(s.stack)-1]
	s.logf("history.back (SPA) to %s", s.path)
	s.eval(`history.back()`)
	s.want("pageview", s.path)
	s.sleep(150, 400)
}

func (s *session) outbound() {
	s.n++
	url := fmt.Sprintf("%s/out/%s/%d", s.out, s.id, s.n)
	s.logf("outbound %s", url)
	s.eval(fmt.Sprintf(`(() => { const a = document.getElementById('out'); a.href = %q; a.click() })()`, url))
	s.want("outbound", url)
	s.sleep(0, 300)
}

// bfcache navigates to another page, then goes back: the first page comes
// back from the back/forward cache (a restore) or, if the browser did not
// keep it, loads again. Either way it is a pageview.
func (s *session) bfcache() {
	back := s.path
	s.n++
	s.bfSteps++
	s.logf("navigate to x%d, then back to %s", s.n, back)
	s.load(fmt.Sprintf("/f/%s/x%d", s.id, s.n))
	s.sleep(100, 800)
	s.eval(`history.back()`)
	s.poll(fmt.Sprintf(`location.pathname == %q && document.readyState == 'complete'`, back))
	var restores int
	s.do(evaluate(`window.__restores`, &restores))
	s.path, s.stack = back, []string{back}
	s.want("pageview", back)
	if restores > 0 {
		s.restores++
		s.logf("restored from the back/forward cache")
		time.Sleep(100 * time.Millisecond)
	} else {
		s.logf("loaded again (no back/forward cache)")
		s.waitTracker()
	}
}

// offline takes the tab offline (CDP network emulation: navigator.onLine
// false, requests fail), does what a visitor does on the page, then brings
// it back online.
func (s *session) offline() {
	s.logf("offline")
	s.do(network.EmulateNetworkConditions(true, 0, -1, -1))
	s.inPage()
	s.sleep(500, 3000)
	s.logf("online")
	s.do(network.EmulateNetworkConditions(false, 0, -1, -1))
}

// fault makes the proxy fail this session's batches for a while.
func (s *session) fault(mode string) {
	d := time.Duration(1500+s.rng.Intn(3000)) * time.Millisecond
	s.logf("proxy %s for %v", mode, d)
	end := time.Now().Add(d)
	s.proxy.set(s.id, mode, d)
	s.inPage()
	// The page stays open until the fault is over: a page that leaves while
	// the collector fails loses what it sends by beacon, which is not retried.
	time.Sleep(time.Until(end))
	s.logf("proxy ok")
	s.sleep(0, 1000)
}

// inPage is what happens while a fault lasts: events, views, clicks.
func (s *session) inPage() {
	for range 1 + s.rng.Intn(3) {
		switch s.rng.Intn(3) {
		case 0:
			s.events()
		case 1:
			s.spa()
		default:
			s.outbound()
		}
		s.sleep(200, 1200)
	}
}

// Report is what a run found.
type Report struct {
	Sessions, Parallel int
	Seed               int64
	SharedWindow       bool
	Elapsed            time.Duration
	SessionErrors      []string

	Produced, Delivered  int            // events of the counted types
	ProducedBy           map[string]int // by type
	DeliveredBy          map[string]int
	Missing              []string // session, type, key, whether seen on the wire, and the session's log
	Extra                []string // rows beyond what the script produced
	DuplicateIDs         int      // event ids that appear on more than one row (all types)
	Rows                 int
	RowsBy               map[string]int
	WireIDs, WireInFiles int            // distinct event ids that reached the proxy, and of them in files (all types)
	WireMissingBy        map[string]int // of those, not in files, by type
	Attempts             map[string]int // requests to the proxy by outcome
	Answers              map[string]int // the collector's answers to what the proxy forwarded: status and reason
	Beacons, Fetches     int
	BFSteps, Restores    int
}

func key(sid, typ, k string) string { return sid + " " + typ + " " + k }

func report(sessions []*session, attempts []attempt, rows []rig.Row) *Report {
	r := &Report{Sessions: len(sessions), ProducedBy: map[string]int{}, DeliveredBy: map[string]int{},
		RowsBy: map[string]int{}, WireMissingBy: map[string]int{}, Attempts: map[string]int{}, Answers: map[string]int{}}
	// Rows: by session, type and key.
	got := map[string]int{}
	ids := map[string]int{}
	for _, row := range rows {
		r.Rows++
		typ := row.Str("type")
		r.RowsBy[typ]++
		ids[row.Str("event_id")]++
		sid, k := rowKey(row)
		if sid != "" {
			got[key(sid, typ, k)]++
		}
	}
	for _, n := range ids {
		if n > 1 {
			r.DuplicateIDs++
		}
	}
	// On the wire: every distinct id the proxy saw, and its type.
	wireType := map[string]string{}
	wireKeys := map[string][]string{} // the attempts that carried each event
	var t0 time.Time
	if len(attempts) > 0 {
		t0 = attempts[0].at
	}
	for _, a := range attempts {
		if a.outcome == modeNone {
			a.outcome = "forwarded"
		}
		r.Attempts[a.outcome]++
		if a.outcome == "forwarded" || a.outcome == modeAckLoss {
			r.Answers[strings.TrimSpace(fmt.Sprintf("%d %s", a.status, a.reason))]++
		}
		if a.beacon {
			r.Beacons++
		} else {
			r.Fetches++
		}
		for _, e := range a.events {
			wireType[e.ID] = e.Type
			sid, k := wireKey(a.sid, e)
			how := "fetch"
			if a.beacon {
				how = "beacon"
			}
			wireKeys[key(sid, e.Type, k)] = append(wireKeys[key(sid, e.Type, k)],
				fmt.Sprintf("%s@%.1fs %s %d %s (%d events)", e.ID, a.at.Sub(t0).Seconds(), how, a.status, a.outcome+a.reason, len(a.events)))
		}
	}
	for id, typ := range wireType {
		r.WireIDs++
		if ids[id] > 0 {
			r.WireInFiles++
		} else {
			r.WireMissingBy[typ]++
		}
	}
	// What the scripts produced against the rows.
	for _, s := range sessions {
		r.BFSteps += s.bfSteps
		r.Restores += s.restores
		if s.err != nil {
			r.SessionErrors = append(r.SessionErrors, s.id+": "+s.err.Error())
		}
		want := map[string]int{}
		for _, e := range s.expect {
			k := key(s.id, e.typ, e.key)
			want[k]++
			r.Produced++
			r.ProducedBy[e.typ]++
			if want[k] <= got[k] {
				r.Delivered++
				r.DeliveredBy[e.typ]++
			} else {
				r.Missing = append(r.Missing, fmt.Sprintf("%s (step %d; attempts: %v); session: %s", k, e.step, wireKeys[k], strings.Join(s.log, " | ")))
			}
		}
		for k, n := range got {
			if strings.HasPrefix(k, s.id+" ") && n > want[k] && !strings.Contains(k, " leave ") && !strings.Contains(k, " vitals ") {
				r.Extra = append(r.Extra, fmt.Sprintf("%s: %d rows, %d produced", k, n, want[k]))
			}
		}
	}
	sort.Strings(r.Extra)
	return r
}

// rowKey finds a row's session and key.
func rowKey(row rig.Row) (sid, k string) {
	switch row.Str("type") {
	case "custom":
		return row.Prop("sid"), row.Prop("n")
	case "outbound":
		u := row.Str("url")
		i := strings.Index(u, "/out/")
		if i < 0 {
			return "", ""
		}
		sid, _, _ = strings.Cut(u[i+5:], "/")
		return sid, u
	default:
		p := row.Str("path")
		sid, _, _ = strings.Cut(strings.TrimPrefix(p, "/f/"), "/")
		return sid, p
	}
}

func wireKey(sid string, e wireEvent) (string, string) {
	switch e.Type {
	case "custom":
		return sid, e.Props["n"]
	case "outbound":
		return sid, e.URL
	}
	return sid, e.Path
}

// Percent is Delivered over Produced.
func (r *Report) Percent() float64 {
	if r.Produced == 0 {
		return 0
	}
	return 100 * float64(r.Delivered) / float64(r.Produced)
}

// Markdown writes the report as RESULTS.md rows.
func (r *Report) Markdown() string {
	var b strings.Builder
	where := "each in its own window"
	if r.SharedWindow {
		where = "as tabs of one window"
	}
	fmt.Fprintf(&b, "sessions %d (%d at once, %s; seed %d) in %v; session errors: %d\n\n", r.Sessions, r.Parallel, where, r.Seed, r.Elapsed.Round(time.Second), len(r.SessionErrors))
	fmt.Fprintf(&b, "| type | produced | in files | %% |\n|---|---:|---:|---:|\n")
	for _, t := range []string{"pageview", "custom", "outbound"} {
		fmt.Fprintf(&b, "| %s | %d | %d | %.2f |\n", t, r.ProducedBy[t], r.DeliveredBy[t], pct(r.DeliveredBy[t], r.ProducedBy[t]))
	}
	fmt.Fprintf(&b, "| **all counted** | **%d** | **%d** | **%.2f** |\n\n", r.Produced, r.Delivered, r.Percent())
	fmt.Fprintf(&b, "- duplicate event_ids in the files: **%d** (of %d rows: %v)\n", r.DuplicateIDs, r.Rows, sortedMap(r.RowsBy))
	fmt.Fprintf(&b, "- distinct event ids that reached the proxy at least once (every type, leave and vitals included): %d; in the files: %d (%.2f %%); missing by type: %v\n",
		r.WireIDs, r.WireInFiles, pct(r.WireInFiles, r.WireIDs), sortedMap(r.WireMissingBy))
	fmt.Fprintf(&b, "- requests to /e through the proxy: %d fetch, %d beacon; by outcome: %v\n", r.Fetches, r.Beacons, sortedMap(r.Attempts))
	fmt.Fprintf(&b, "- the collector's answers to forwarded requests: %v\n", sortedMap(r.Answers))
	fmt.Fprintf(&b, "- back/forward navigations: %d, restored from the cache: %d\n", r.BFSteps, r.Restores)
	fmt.Fprintf(&b, "- rows beyond what the scripts produced (pageview/custom/outbound): %d\n", len(r.Extra))
	return b.String()
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func sortedMap(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
