// Command mainthread measures the tracker's main-thread time over a
// scripted 30-second session in headless Chromium, against the same page
// without the tag in the same run.
//
//	go run ./bench/cmd/mainthread [-duration 30s] [-rounds 1] [-mouse] [-interval 100] [-top 15] [-where 15]
//	    [-trace 15 [-trace-cpu] [-trace-inside "EventDispatch mousemove"]] [-trace-load] [-probe a.js,b.js]
//	    [-scrolls=false] [-clicks=false] [-views=false]
//
// -top N prints the N frames with the most tracker samples; -where N the N
// loader functions, by position in the served crumbless.js with the code
// there, that the tracker samples fall in (innermost loader frame, what it
// calls included): the minified loader's functions are mostly anonymous.
//
// With -mouse, a third page has the tag with data-mouse: the mouse add-on
// (mouse.js and its module, which count as the tracker's frames too) on top
// of the tag, to compare with the tag alone.
//
// The session: a page load, then for the duration 2,000 mouse moves
// (CDP Input events, spread evenly), a scroll every second, a click every
// 1.5 s, a custom event every 1.5 s and an SPA navigation (pushState) every
// 3 s, then the tab is hidden (the tracker sends by beacon).
//
// Measures, per page:
//   - the V8 sampling profiler (100 µs interval) over the whole session,
//     load included: tracker time is every sample whose stack has a frame
//     of crumbless.js or of the WebAssembly module (inclusive: the built-ins
//     the tracker calls, CompressionStream, fetch, count too); self time
//     is the samples whose top frame is tracker code. The longest run of
//     consecutive tracker samples bounds the longest tracker task;
//   - Performance.getMetrics' ScriptDuration and TaskDuration for the tab,
//     tag against baseline (everything on the main thread, noise included;
//     ScriptDuration also split at the start of the input, after -load
//     (3 s) of page load: the load's and the session's),
//     and its ThreadTime (main-thread CPU time: not inflated when other
//     processes preempt the tab, but it includes rendering work, which
//     varies from run to run) and V8CompileDuration;
//   - long tasks (> 50 ms) seen by a PerformanceObserver('longtask') in the
//     page;
//   - with -trace N, a Chromium trace (trace.go): the main thread's
//     outermost entries into script (event dispatches by type, timers,
//     microtasks, script evaluations by file), their count and wall time,
//     or with -trace-cpu their CPU time (not inflated when other processes
//     take the core); -trace-inside names what runs inside one kind of
//     entry. An event dispatch counts the browser's own dispatch work too,
//     so the baseline page has some; compare a label across pages. With
//     -trace-load only the load is traced, for its CPU time, which the
//     page's thread losing the core at load does not inflate as it does
//     ScriptDuration; the session, untraced, keeps its ScriptDuration.
//
// -probe pages run a script of their own in place of the tag, with any
// other file it asks for served from the script's directory; a probe may
// leave timings in window.__t, which is printed. -scrolls, -clicks and
// -views leave parts of the session out, to see what each costs.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/crumbless/crumbless/internal/rig"
)

func main() {
	duration := flag.Duration("duration", 30*time.Second, "scripted session length")
	moves := flag.Int("moves", 2000, "mouse moves over the session")
	rounds := flag.Int("rounds", 1, "baseline/tag pairs, alternated")
	mouse := flag.Bool("mouse", false, "also run the tag with data-mouse (the mouse add-on), after each pair")
	flag.Parse()
	variants := []string{"baseline", "tag"}
	if *mouse {
		variants = append(variants, "mouse")
	}
	if *probe != "" {
		for i := range strings.Split(*probe, ",") {
			variants = append(variants, fmt.Sprintf("probe%d", i+1))
		}
	}
	if err := run(*duration, *moves, *rounds, variants); err != nil {
		fmt.Fprintln(os.Stderr, "mainthread:", err)
		os.Exit(1)
	}
}

type result struct {
	variant                  string
	trackerIncl, trackerSelf float64 // ms
	longestRun               float64 // ms of consecutive tracker samples
	profiled                 float64 // ms covered by samples
	script, task             float64 // ms, Performance.getMetrics
	loadScript               float64 // ms, ScriptDuration when the session's input began: the page's load
	thread, compile          float64 // ms, Performance.getMetrics: main-thread CPU time, V8 compilation
	traced                   float64 // ms in main-thread script entries, by the trace
	longTasks                []float64
	moves                    int
	sends                    int
}

func run(duration time.Duration, moves, rounds int, variants []string) error {
	chromium, err := rig.Chromium()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "crumbless-mainthread-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := rig.BuildCollector(tmp)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	pages := "http://" + ln.Addr().String()
	config := filepath.Join(tmp, "crumbless.yaml")
	os.WriteFile(config, fmt.Appendf(nil, "sites:\n  - id: example.com\n    origins: [%q]\n", pages), 0o644)
	col, err := rig.StartCollector(bin, "-config", config, "-data", filepath.Join(tmp, "data"))
	if err != nil {
		return err
	}
	defer col.Stop()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tag := ""
		switch {
		case strings.HasPrefix(r.URL.Path, "/tag/"):
			tag = fmt.Sprintf(`<script defer src="%s/crumbless.js" data-site="example.com" data-dev></script>`, col.URL)
		case strings.HasPrefix(r.URL.Path, "/mouse/"):
			tag = fmt.Sprintf(`<script defer src="%s/crumbless.js" data-site="example.com" data-dev data-mouse></script>`, col.URL)
		case strings.HasPrefix(r.URL.Path, "/probe") && path.Ext(r.URL.Path) != "":
			if file := probeFile(r.URL.Path); file != "" {
				if path.Ext(file) == ".js" {
					w.Header().Set("Content-Type", "text/javascript")
				}
				http.ServeFile(w, r, file)
			}
			return
		case strings.HasPrefix(r.URL.Path, "/probe"):
			tag = fmt.Sprintf(`<script defer src="probe.js" data-api="%s/e" data-site="example.com" data-dev></script>`, col.URL)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page(tag))
	})}
	go srv.Serve(ln)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rounds*len(variants))*(duration+30*time.Second)+time.Minute)
	defer cancel()
	var results []result
	for i := 0; i < rounds; i++ {
		for _, v := range variants {
			r, err := freshSession(ctx, chromium, pages+"/"+v+"/", col.URL, v, duration, moves)
			if err != nil {
				return fmt.Errorf("%s: %w", v, err)
			}
			results = append(results, r)
		}
	}
	fmt.Printf("session %v, %d mouse moves, scroll every 1 s, click and custom event every 1.5 s, SPA navigation every 3 s; profiler interval %d µs (0: off)\n\n", duration, moves, *interval)
	fmt.Println("| page | tracker ms (inclusive) | tracker ms (self) | longest tracker run ms | ScriptDuration ms | of which load / session | TaskDuration ms | long tasks > 50 ms | requests to /e |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---|---:|")
	for _, r := range results {
		lt := "0"
		if len(r.longTasks) > 0 {
			lt = fmt.Sprintf("%d (%v ms)", len(r.longTasks), r.longTasks)
		}
		fmt.Printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f | %.1f | %s | %d |", r.variant, r.trackerIncl, r.trackerSelf, r.longestRun, r.script, r.loadScript, r.script-r.loadScript, r.task, lt, r.sends)
		if traced() {
			fmt.Printf(" trace %.1f ms", r.traced)
		}
		fmt.Println()
	}
	fmt.Println()
	mean := map[string]*result{}
	for _, r := range results {
		x := mean[r.variant]
		if x == nil {
			x = &result{}
			mean[r.variant] = x
		}
		x.script += r.script / float64(rounds)
		x.task += r.task / float64(rounds)
		x.trackerIncl += r.trackerIncl / float64(rounds)
		x.thread += r.thread / float64(rounds)
		x.compile += r.compile / float64(rounds)
	}
	b, t := mean["baseline"], mean["tag"]
	fmt.Printf("Mean over %d round(s): tracker %.1f ms inclusive; tag/baseline ScriptDuration %.1f/%.1f ms (ratio %.2f, difference %+.1f ms), TaskDuration %.1f/%.1f ms (ratio %.2f, difference %+.1f ms).\n",
		rounds, t.trackerIncl, t.script, b.script, t.script/b.script, t.script-b.script, t.task, b.task, t.task/b.task, t.task-b.task)
	// ThreadTime is CPU time, not wall time: not inflated by preemption on a
	// busy machine, as the durations above are, but all the tab's work.
	fmt.Printf("Main-thread CPU time (ThreadTime) tag/baseline %.1f/%.1f ms (difference %+.1f ms); V8 compile %.1f/%.1f ms. Per round:",
		t.thread, b.thread, t.thread-b.thread, t.compile, b.compile)
	for _, r := range results {
		fmt.Printf(" %s %.1f;", r.variant, r.thread)
	}
	fmt.Println()
	if m := mean["mouse"]; m != nil {
		fmt.Printf("With data-mouse: tracker and add-on %.1f ms inclusive (%+.1f ms over the tag alone); ScriptDuration %.1f ms (%+.1f ms), TaskDuration %.1f ms (%+.1f ms) against the tag alone.\n",
			m.trackerIncl, m.trackerIncl-t.trackerIncl, m.script, m.script-t.script, m.task, m.task-t.task)
	}
	if traced() {
		printTraced(results)
	}
	return nil
}

// printTraced prints, per page, its traced main-thread time less the
// baseline's of the same round (the browser's own dispatch work), each
// round and the mean.
func printTraced(results []result) {
	var base float64
	per := map[string][]float64{}
	var order []string
	for _, r := range results {
		if r.variant == "baseline" {
			base = r.traced
			continue
		}
		if per[r.variant] == nil {
			order = append(order, r.variant)
		}
		per[r.variant] = append(per[r.variant], r.traced-base)
	}
	fmt.Printf("Traced main-thread %s time less the round's baseline:", traceUnit())
	for _, v := range order {
		sum := 0.0
		for _, d := range per[v] {
			sum += d
		}
		fmt.Printf(" %s %.1f ms (rounds %.1f);", v, sum/float64(len(per[v])), per[v])
	}
	fmt.Println()
}

// probeFile is the file a probe page asks for at urlPath (/probeN/NAME):
// probe.js is the N-th -probe script, any other name a file from that
// script's directory; "" when there is no N-th script.
func probeFile(urlPath string) string {
	var i int
	fmt.Sscanf(urlPath, "/probe%d/", &i)
	files := strings.Split(*probe, ",")
	if i < 1 || i > len(files) {
		return ""
	}
	if name := path.Base(urlPath); name != "probe.js" {
		return filepath.Join(filepath.Dir(files[i-1]), name)
	}
	return files[i-1]
}

// page is the test page: a long article with a button, SPA-capable.
func page(tag string) string {
	var body strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&body, "<p>Paragraph %d. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n", i)
	}
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Main thread</title>
<script>window.crumbless = window.crumbless || function () { (window.crumbless.q = window.crumbless.q || []).push(arguments) }</script>
<script>
window.__long = [];
try { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__long.push(Math.round(e.duration)) }) }).observe({type: 'longtask', buffered: true}) } catch (e) {}
</script>
` + tag + `</head><body>
<button id="b" style="position:fixed;top:10px;left:10px;width:120px;height:40px" data-crumbless-event="cta" data-crumbless-prop-place="top">Sign up</button>
<div style="padding-top:60px">` + body.String() + `</div></body></html>`
}

// freshSession runs a session in a browser of its own: pages of one
// browser share a renderer, so a page would find what another loaded
// (ICU's time-zone data, compiled code) and run faster than a visitor's.
func freshSession(ctx context.Context, chromium, url, colURL, variant string, duration time.Duration, moves int) (result, error) {
	bctx, stop, err := rig.Browser(ctx, chromium)
	if err != nil {
		return result{}, err
	}
	defer stop()
	return session(bctx, url, colURL, variant, duration, moves)
}

func session(parent context.Context, url, colURL, variant string, duration time.Duration, moves int) (result, error) {
	r := result{variant: variant}
	c := chromedp.FromContext(parent)
	id, err := target.CreateTarget("about:blank").WithNewWindow(true).Do(cdp.WithExecutor(parent, c.Browser))
	if err != nil {
		return r, err
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithTargetID(id))
	defer cancel()
	// (No Network domain: its agent runs in the page at every request,
	// inside the tracker's fetch() calls. The sends are counted from the
	// page's resource timing at the end.)
	setup := []chromedp.Action{performance.Enable()}
	if *interval > 0 {
		setup = append(setup, profiler.Enable(), profiler.SetSamplingInterval(*interval), profiler.Start())
	}
	var rec *recorder
	if traced() {
		if rec, err = startTrace(ctx); err != nil {
			return r, err
		}
	}
	err = chromedp.Run(ctx, append(setup, chromedp.Navigate(url))...)
	if err != nil {
		return r, err
	}
	// The load: every page gets the same time, with no script of the
	// bench's in it, and then one check that the modules are there (the
	// add-on's is asked for when the browser is idle after the first
	// pageview). ScriptDuration by then is the load's: the tag's start,
	// its first send, the add-on's start.
	time.Sleep(*load)
	var loaded string
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm') && e.responseEnd > 0).map(e => e.name.split('/').pop().split('.')[0]).sort().join()`, &loaded),
		chromedp.ActionFunc(func(ctx context.Context) error {
			m, err := performance.GetMetrics().Do(ctx)
			r.loadScript = metric(m, "ScriptDuration")
			return err
		})); err != nil {
		return r, err
	}
	if want, ok := map[string]string{"tag": "tracker", "mouse": "mouse,tracker"}[variant]; ok && loaded != want {
		return r, fmt.Errorf("after %v of load the page has the modules %q, not %q", *load, loaded, want)
	}
	if *traceLoad {
		if err := rec.stop(ctx); err != nil {
			return r, err
		}
		r.traced = printTrace(variant+" (load)", rec, *traceTop)
		rec = nil
	}
	// The script: events due at fixed offsets, dispatched in order.
	start := time.Now()
	step := duration / time.Duration(moves)
	nextScroll, nextClick, nextSPA := time.Second, 1500*time.Millisecond, 3*time.Second
	n := 0
	for i := 0; i < moves; i++ {
		due := time.Duration(i) * step
		time.Sleep(time.Until(start.Add(due)))
		x := 200 + 800*(0.5+0.5*math.Sin(float64(i)/40))
		y := 100 + 600*(0.5+0.5*math.Cos(float64(i)/55))
		acts := []chromedp.Action{input.DispatchMouseEvent(input.MouseMoved, x, y)}
		if due >= nextScroll && *scrolls {
			nextScroll += time.Second
			acts = append(acts, input.DispatchMouseEvent(input.MouseWheel, x, y).WithDeltaX(0).WithDeltaY(400))
		}
		if due >= nextClick && *clicks {
			nextClick += 1500 * time.Millisecond
			n++
			acts = append(acts,
				input.DispatchMouseEvent(input.MousePressed, 60, 30).WithButton(input.Left).WithClickCount(1),
				input.DispatchMouseEvent(input.MouseReleased, 60, 30).WithButton(input.Left).WithClickCount(1),
				chromedp.Evaluate(fmt.Sprintf(`crumbless('event', 'step', {n: %d, kind: 'bench'})`, n), nil))
		}
		if due >= nextSPA && *views {
			nextSPA += 3 * time.Second
			acts = append(acts, chromedp.Evaluate(fmt.Sprintf(`history.pushState({}, '', '/%s/view-%d'); document.title = 'View %d'`, variant, i, i), nil))
		}
		if err := chromedp.Run(ctx, acts...); err != nil {
			return r, err
		}
		r.moves++
	}
	time.Sleep(time.Until(start.Add(duration)))
	// The tab is hidden: the tracker flushes by beacon.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
		document.dispatchEvent(new Event('visibilitychange'))`, nil)); err != nil {
		return r, err
	}
	time.Sleep(500 * time.Millisecond)
	if rec != nil {
		if err := rec.stop(ctx); err != nil {
			return r, err
		}
		r.traced = printTrace(variant, rec, *traceTop)
	}
	var prof *profiler.Profile
	var metrics []*performance.Metric
	var long []float64
	err = chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			if *interval <= 0 {
				return nil
			}
			var err error
			prof, err = profiler.Stop().Do(ctx)
			return err
		}),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			metrics, err = performance.GetMetrics().Do(ctx)
			return err
		}),
		chromedp.Evaluate(`window.__long`, &long),
		chromedp.Evaluate(`performance.getEntriesByType('resource').filter(e => e.name.endsWith('/e')).length`, &r.sends),
		chromedp.ActionFunc(func(ctx context.Context) error {
			// A probe may leave its own timings in window.__t.
			var t string
			if err := chromedp.Evaluate(`JSON.stringify(window.__t || null)`, &t).Do(ctx); err == nil && t != "null" {
				fmt.Fprintf(os.Stderr, "%s: window.__t %s\n", variant, t)
			}
			return nil
		}),
	)
	if err != nil {
		return r, err
	}
	r.script = metric(metrics, "ScriptDuration")
	r.task = metric(metrics, "TaskDuration")
	r.thread = metric(metrics, "ThreadTime")
	r.compile = metric(metrics, "V8CompileDuration")
	r.longTasks = long
	if prof != nil {
		analyse(prof, colURL, source(colURL), &r)
	}
	return r, nil
}

// metric is the named Performance metric in ms (a duration's seconds), 0
// when absent.
func metric(metrics []*performance.Metric, name string) float64 {
	for _, m := range metrics {
		if m.Name == name {
			return m.Value * 1000
		}
	}
	return 0
}

// tracker reports whether a frame is the tracker's: the loader's script,
// the mouse add-on's, or a WebAssembly module (the tracker's, the add-on's:
// the only ones on the page).
func tracker(f *runtime.CallFrame, colURL string) bool {
	u := f.URL
	return strings.HasPrefix(u, colURL+"/crumbless.js") || strings.HasPrefix(u, colURL+"/mouse.js") || strings.HasSuffix(u, "/probe.js") ||
		strings.HasPrefix(u, "wasm://") || strings.HasSuffix(u, ".wasm")
}

// source returns the loader as served (minified, module name in place), to
// show where a frame of crumbless.js is; "" when it cannot be had.
func source(colURL string) string {
	if *where <= 0 {
		return ""
	}
	resp, err := http.Get(colURL + "/crumbless.js")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return ""
	}
	return string(b)
}

// position names a frame of the loader by where its function starts in the
// served script, with the code there: the minified loader's functions are
// mostly anonymous.
func position(f *runtime.CallFrame, src string) string {
	name := f.FunctionName
	if name == "" {
		name = "(anonymous)"
	}
	lines := strings.Split(src, "\n")
	if int(f.LineNumber) >= len(lines) {
		return fmt.Sprintf("%s %d:%d", name, f.LineNumber, f.ColumnNumber)
	}
	line := lines[f.LineNumber]
	at := min(int(f.ColumnNumber), len(line))
	return fmt.Sprintf("%s %d:%d %q", name, f.LineNumber, f.ColumnNumber, line[at:min(len(line), at+48)])
}

func analyse(p *profiler.Profile, colURL, src string, r *result) {
	parent := map[int64]int64{}
	nodes := map[int64]*profiler.ProfileNode{}
	for _, n := range p.Nodes {
		nodes[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	inTracker := map[int64]bool{}
	for id := range nodes {
		for x := id; x != 0; x = parent[x] {
			if tracker(nodes[x].CallFrame, colURL) {
				inTracker[id] = true
				break
			}
		}
	}
	run := 0.0
	self := map[string]float64{}
	// by tracker function: each tracker sample goes to the innermost frame
	// of the loader in its stack (the built-ins and module code it called
	// included), named by position.
	by := map[string]float64{}
	var t float64
	var phases [4]float64 // tracker ms in each quarter of the profile
	total := float64(p.EndTime-p.StartTime) / 1000
	for i, id := range p.Samples {
		dt := 0.0
		if i+1 < len(p.TimeDeltas) {
			dt = float64(p.TimeDeltas[i+1]) / 1000 // the time until the next sample, ms
		}
		r.profiled += dt
		t += float64(p.TimeDeltas[i]) / 1000
		if inTracker[id] {
			f := nodes[id].CallFrame
			self[f.FunctionName+" "+f.URL] += dt
			if *where > 0 {
				for x := id; x != 0; x = parent[x] {
					if c := nodes[x].CallFrame; strings.HasPrefix(c.URL, colURL+"/crumbless.js") {
						by[position(c, src)] += dt
						break
					}
				}
			}
			phases[min(3, int(4*t/total))] += dt
			r.trackerIncl += dt
			if tracker(nodes[id].CallFrame, colURL) {
				r.trackerSelf += dt
			}
			run += dt
			r.longestRun = max(r.longestRun, run)
		} else {
			run = 0
		}
	}
	if *top > 0 {
		fmt.Fprintf(os.Stderr, "%s: tracker ms by quarter of the profile: %.1f\n", r.variant, phases)
		printTop(self, *top)
	}
	if *where > 0 && len(by) > 0 {
		fmt.Fprintf(os.Stderr, "%s: tracker ms by innermost loader function (what it calls included):\n", r.variant)
		printTop(by, *where)
	}
}

// printTop prints the n largest entries of m, largest first.
func printTop(m map[string]float64, n int) {
	type kv struct {
		k string
		v float64
	}
	var l []kv
	for k, v := range m {
		l = append(l, kv{k, v})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v || l[i].v == l[j].v && l[i].k < l[j].k })
	for i := 0; i < len(l) && i < n; i++ {
		fmt.Fprintf(os.Stderr, "  %8.1f ms  %s\n", l[i].v, l[i].k)
	}
}

var (
	scrolls = flag.Bool("scrolls", true, "a wheel scroll every second")
	clicks  = flag.Bool("clicks", true, "a click and a custom event every 1.5 s")
	views   = flag.Bool("views", true, "an SPA navigation every 3 s")
)

var interval = flag.Int64("interval", 100, "profiler sampling interval in µs; 0: no profiler (Performance metrics and long tasks only)")

var top = flag.Int("top", 0, "print the N frames with the most samples in tracker stacks")

var where = flag.Int("where", 0, "print the N loader functions (by position in crumbless.js) with the most tracker samples, what they call included")

var load = flag.Duration("load", 3*time.Second, "the page's load, before the session's first move: ScriptDuration by then is the load's")

var probe = flag.String("probe", "", "also run a page with each of these scripts (comma-separated; deferred, as probe.js; data-api is the collector's /e) in place of the tag: to measure what a piece of code would cost")
