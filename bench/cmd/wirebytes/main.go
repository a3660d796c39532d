// Command wirebytes measures the bytes a pageview costs inside a batch,
// raw JSON and gzip-compressed as the loader sends it
// (CompressionStream('gzip'): zlib's default level, which Go's
// gzip.DefaultCompression matches), for batches of N = 1, 5 and 20
// pageviews, and the marginal bytes of one more pageview.
//
//	go run ./bench/cmd/wirebytes
//
// Two sources:
//   - sdk/wire: batches built with wire.AppendBatch from realistic fields
//     (a visit's paths on one site, the previous page as referrer, titles,
//     lang, tz, viewport, content id/group/origin, 25-character ids);
//   - Chromium: the real requests of a page with the tag (the committed
//     sdk/dist, served by the collector built from this repository) that
//     makes 24 SPA navigations. Its batches mix pageviews with leave
//     summaries and vitals; the figures take the pageview objects exactly
//     as the loader wrote them, in batches of N with the real batch head,
//     and also report the captured requests as they went.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/crumbless/crumbless/internal/rig"
	"github.com/crumbless/crumbless/sdk/wire"
)

var sizes = []int{1, 5, 20}

// A visit on a content site: paths, titles and content ids.
var visit = []struct{ path, title, id, group string }{
	{"/", "Example Journal — independent reporting on technology", "home", "index"},
	{"/blog/", "Blog — Example Journal", "blog", "index"},
	{"/blog/2026/11/privacy-first-analytics-without-cookies", "Privacy-first analytics without cookies — Example Journal", "post-4812", "blog"},
	{"/blog/2026/10/webassembly-on-the-edge", "WebAssembly on the edge: what it costs — Example Journal", "post-4790", "blog"},
	{"/docs/getting-started", "Getting started — Example Journal docs", "doc-12", "docs"},
	{"/docs/configuration/sites", "Configuring sites — Example Journal docs", "doc-31", "docs"},
	{"/pricing", "Pricing — Example Journal", "pricing", "product"},
	{"/blog/2026/09/consent-modes-explained", "Consent modes explained — Example Journal", "post-4701", "blog"},
}

func main() {
	browser := flag.Bool("browser", true, "also capture real requests in Chromium")
	flag.Parse()
	fmt.Println("### sdk/wire batches (wire.AppendBatch, T2 head without consent fields)")
	fmt.Println()
	var objs [][]byte
	for i := 0; i < 20; i++ {
		objs = append(objs, syntheticPageview(i))
	}
	head := string(wire.AppendBatchStart(nil, []byte("example.com"), time.Now().UnixMilli()))
	table(head, objs)
	if !*browser {
		return
	}
	head, objs, reqs, err := capture()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wirebytes:", err)
		os.Exit(1)
	}
	fmt.Println()
	fmt.Printf("### Chromium: the loader's pageview objects (%d captured), in batches with the real batch fields (%d B: %s)\n\n", len(objs), len(head)-1, strings.Replace(head, "\x00", "…", 1))
	for len(objs) < 20 {
		objs = append(objs, objs[len(objs)%len(objs)])
	}
	table(head, objs[:20])
	fmt.Println()
	fmt.Println("### Chromium: the requests as sent")
	fmt.Println()
	fmt.Println("| request | events (pageview/leave/vitals/other) | raw JSON B | gzip B (as sent) | gzip B per event |")
	fmt.Println("|---|---|---:|---:|---:|")
	for i, r := range reqs {
		fmt.Printf("| %d (%s) | %d (%s) | %d | %d | %.1f |\n", i+1, r.how, r.events, r.mix, r.raw, r.wire, float64(r.wire)/float64(r.events))
	}
}

// syntheticPageview is the i-th pageview of a visit, as wire writes it.
func syntheticPageview(i int) []byte {
	v := visit[i%len(visit)]
	ref := "https://www.google.com/"
	if i > 0 {
		ref = "https://example.com" + visit[(i-1)%len(visit)].path
	}
	e := wire.Event{
		ID: fmt.Appendf(nil, "3f9a1c0be27d4a8861f0c2d5%x", i), Kind: wire.KindPageview, TS: 1795000000000 + int64(i)*17000,
		Path: []byte(v.path), Referrer: []byte(ref), Title: []byte(v.title), Viewport: []byte("lg"),
		Lang: []byte("en-GB"), TZ: []byte("Europe/London"),
		ContentID: []byte(v.id), ContentGroup: []byte(v.group), ContentOrigin: []byte("human"),
	}
	return wire.AppendEvent(nil, &e)
}

// batch joins objs into a batch: head is the text before the events, and
// after a NUL what follows them (else "]}").
func batch(head string, objs [][]byte) []byte {
	head, tail, ok := strings.Cut(head, "\x00")
	if !ok {
		tail = "]}"
	}
	return []byte(head + string(bytes.Join(objs, []byte(","))) + tail)
}

func gz(b []byte) int {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return out.Len()
}

func table(head string, objs [][]byte) {
	fmt.Println("| N pageviews | raw JSON B | raw B / pageview | gzip B | gzip B / pageview |")
	fmt.Println("|---:|---:|---:|---:|---:|")
	raw, comp := map[int]int{}, map[int]int{}
	for _, n := range sizes {
		b := batch(head, objs[:n])
		raw[n], comp[n] = len(b), gz(b)
		fmt.Printf("| %d | %d | %.1f | %d | %.1f |\n", n, raw[n], float64(raw[n])/float64(n), comp[n], float64(comp[n])/float64(n))
	}
	fmt.Println()
	fmt.Printf("Marginal bytes per additional pageview: raw %.1f (1→5), %.1f (5→20); **gzip %.1f (1→5), %.1f (5→20)**, %.1f (1→20).\n",
		float64(raw[5]-raw[1])/4, float64(raw[20]-raw[5])/15,
		float64(comp[5]-comp[1])/4, float64(comp[20]-comp[5])/15, float64(comp[20]-comp[1])/19)
}

type request struct {
	how         string
	events      int
	mix         string
	raw, wire   int
	pageviewObj [][]byte
	head, tail  string
}

// capture runs the page in Chromium and returns the batch head, the
// pageview objects as the loader wrote them, and every request.
func capture() (string, [][]byte, []request, error) {
	chromium, err := rig.Chromium()
	if err != nil {
		return "", nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "crumbless-wirebytes-")
	if err != nil {
		return "", nil, nil, err
	}
	defer os.RemoveAll(tmp)
	bin, err := rig.BuildCollector(tmp)
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	pages := "http://" + ln.Addr().String()
	config := filepath.Join(tmp, "crumbless.yaml")
	os.WriteFile(config, fmt.Appendf(nil, "sites:\n  - id: example.com\n    origins: [%q]\n", pages), 0o644)
	col, err := rig.StartCollector(bin, "-config", config, "-data", filepath.Join(tmp, "data"))
	if err != nil {
		return "", nil, nil, err
	}
	defer col.Stop()

	var mu sync.Mutex
	var reqs []request
	client := &http.Client{Timeout: 10 * time.Second}
	mux := http.NewServeMux()
	// /e: record the body, then forward it to the collector.
	mux.HandleFunc("/e", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := parse(body, r.Header.Get("Sec-Fetch-Mode") == "no-cors")
		mu.Lock()
		reqs = append(reqs, req)
		mu.Unlock()
		fwd, _ := http.NewRequest("POST", col.URL+"/e", bytes.NewReader(body))
		fwd.Header = r.Header.Clone()
		resp, err := client.Do(fwd)
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
	mux.HandleFunc("/c", func(w http.ResponseWriter, r *http.Request) {
		resp, err := client.Get(col.URL + r.URL.RequestURI())
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>%s</title>
<script defer src="%s/crumbless.js" data-site="example.com" data-dev data-api="%s/e"></script>
</head><body data-crumbless-content="home" data-crumbless-content-group="index" data-crumbless-content-origin="human"><p>page</p></body></html>`,
			visit[0].title, col.URL, pages)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bctx, stop, err := rig.Browser(ctx, chromium)
	if err != nil {
		return "", nil, nil, err
	}
	defer stop()
	// The SPA: each view sets its content attributes and title, then
	// pushState; 24 views, 120 ms apart (the loader waits 50 ms for the
	// router), then the tab is hidden.
	var js strings.Builder
	js.WriteString(`(async () => { const views = [`)
	for i := 1; i <= 24; i++ {
		v := visit[i%len(visit)]
		fmt.Fprintf(&js, "[%q,%q,%q,%q],", v.path, v.title, v.id, v.group)
	}
	js.WriteString(`]; for (const [p, t, id, g] of views) {
		document.body.dataset.crumblessContent = id; document.body.dataset.crumblessContentGroup = g;
		history.pushState({}, '', p); document.title = t;
		await new Promise(r => setTimeout(r, 120)); } })()`)
	err = chromedp.Run(bctx,
		chromedp.Navigate(pages+"/"),
		chromedp.Poll(`performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm') && e.responseEnd > 0)`, nil),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Evaluate(js.String(), nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Sleep(2500*time.Millisecond),
		chromedp.Navigate("about:blank"),
		chromedp.Sleep(500*time.Millisecond),
	)
	if err != nil {
		return "", nil, nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	var head string
	var objs [][]byte
	for _, r := range reqs {
		if head == "" && r.head != "" {
			head = r.head + "\x00" + r.tail
		}
		objs = append(objs, r.pageviewObj...)
	}
	if len(objs) == 0 {
		return "", nil, nil, fmt.Errorf("no pageview captured (%d requests)", len(reqs))
	}
	return head, objs, reqs, nil
}

// parse reads a captured body: gunzipped when it is gzip.
func parse(body []byte, beacon bool) request {
	r := request{how: "fetch", wire: len(body)}
	if beacon {
		r.how = "beacon"
	}
	raw := body
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			raw, _ = io.ReadAll(zr)
		}
	} else {
		r.how += ", not compressed"
	}
	r.raw = len(raw)
	var b struct {
		Events []json.RawMessage `json:"events"`
	}
	json.Unmarshal(raw, &b)
	// The batch without its events, as the loader wrote it (JSON.stringify
	// puts the batch fields after the events array): head + events + tail.
	if i := bytes.Index(raw, []byte(`"events":[`)); i >= 0 && len(b.Events) > 0 {
		last := b.Events[len(b.Events)-1]
		if j := bytes.LastIndex(raw, last); j > i {
			r.head, r.tail = string(raw[:i+len(`"events":[`)]), string(raw[j+len(last):])
		}
	}
	counts := map[string]int{}
	for _, e := range b.Events {
		var t struct {
			Type string `json:"type"`
		}
		json.Unmarshal(e, &t)
		switch t.Type {
		case "pageview", "leave", "vitals":
			counts[t.Type]++
		default:
			counts["other"]++
		}
		if t.Type == "pageview" {
			r.pageviewObj = append(r.pageviewObj, []byte(e))
		}
	}
	r.events = len(b.Events)
	r.mix = fmt.Sprintf("%d/%d/%d/%d", counts["pageview"], counts["leave"], counts["vitals"], counts["other"])
	return r
}
