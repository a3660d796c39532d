package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/klauspost/compress/zstd"
)

// The mouse add-on of issue 5 (data-mouse: sdk/js/mouse.js and
// mouse.wasm), driven by scripted CDP mouse input and asserted on the rows
// the collector wrote: frustration and bot rows in DATA/events, raw heatmap
// rows in DATA/heatmaps.

// waitMouse waits until the page has fetched the add-on's module and had
// time to instantiate it.
func waitMouse(t *testing.T, b *browser) {
	t.Helper()
	const loaded = `performance.getEntriesByType('resource').some(e => /\/mouse\.[0-9a-f]+\.wasm$/.test(e.name) && e.responseEnd > 0)`
	b.run(t, chromedp.Poll(loaded, nil, chromedp.WithPollingTimeout(15*time.Second)))
	time.Sleep(300 * time.Millisecond)
}

// clickAt presses and releases the left button at x, y (viewport
// coordinates), holding it hold.
func clickAt(x, y float64, hold time.Duration) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MousePressed, x, y).WithButton(input.Left).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		time.Sleep(hold)
		return input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithClickCount(1).Do(ctx)
	})
}

// center returns the viewport coordinates of the middle of the element
// with id.
func center(t *testing.T, b *browser, id string) (float64, float64) {
	t.Helper()
	var p []float64
	b.run(t, chromedp.Evaluate(`(r => [r.left + r.width / 2, r.top + r.height / 2])(document.getElementById('`+id+`').getBoundingClientRect())`, &p))
	return p[0], p[1]
}

// readHeatmapRows decodes every complete raw heatmap file under
// dir/heatmaps.
func readHeatmapRows(t *testing.T, dir string) []row {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var rows []row
	filepath.WalkDir(filepath.Join(dir, "heatmaps"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ndjson.zst") || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text, err := dec.DecodeAll(raw, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(text), []byte("\n")) {
			var r row
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatalf("heatmap line is not JSON: %v: %s", err, line)
			}
			rows = append(rows, r)
		}
		return nil
	})
	return rows
}

// signals lists the frustration rows as "name selector count page".
func signals(rows []row) []string {
	var out []string
	for _, r := range ofType(rows, "frustration") {
		out = append(out, fmt.Sprintf("%s %s %v %s", r.str("name"), r.str("selector"), r["count"], r.str("page")))
	}
	sort.Strings(out)
	return out
}

const frustrationPage = `<style>button { display: block; margin: 60px 40px; width: 200px; height: 40px }</style>
<script>function go(path) { history.pushState({}, '', path) }</script>
<button id="rage">Buy</button>
<button id="dead">Nothing happens</button>
<button id="live" onclick="this.textContent = 'Done ' + Date.now()">Works</button>
<button id="err" onclick="this.dataset.n = 1; null.boom()">Breaks</button>
<button id="next" onclick="go('/app/b')">Next</button>`

// TestMouseFrustrationSignals is issue 5's acceptance in Chromium: a rage
// click, a dead click, an error click and a quick back are each detected
// exactly once, and a double-click is not a rage click.
func TestMouseFrustrationSignals(t *testing.T) {
	s := newCaptureSite(t, "", "data-dev data-mouse", map[string]string{"/app": htmlPage("App", frustrationPage)})
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/app"))
	waitTracker(t, b)
	waitMouse(t, b)
	pause := chromedp.Sleep(1200 * time.Millisecond) // every window closes
	x, y := center(t, b, "rage")
	b.run(t, clickAt(x, y, 0), clickAt(x+3, y, 0), clickAt(x, y+2, 0), clickAt(x+1, y+1, 0), pause)
	x, y = center(t, b, "live")
	b.run(t, clickAt(x, y, 30*time.Millisecond), clickAt(x, y, 30*time.Millisecond), pause) // a double-click that works
	x, y = center(t, b, "dead")
	b.run(t, clickAt(x, y, 40*time.Millisecond), pause)
	x, y = center(t, b, "err")
	b.run(t, clickAt(x, y, 40*time.Millisecond), pause)
	x, y = center(t, b, "next")
	b.run(t, clickAt(x, y, 40*time.Millisecond), chromedp.Sleep(time.Second),
		chromedp.Evaluate(`history.back()`, nil), chromedp.Sleep(2500*time.Millisecond))
	rows := s.rows(t, b)
	want := []string{"dead_click #dead <nil> ", "error_click #err <nil> ", "quick_back  <nil> /app/b", "rage_click #rage 4 "}
	if got := signals(rows); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("frustration rows:\n got %q\nwant %q", got, want)
	}
	heat := readHeatmapRows(t, s.data)
	var targets []string
	for _, r := range heat {
		if r.str("layer") == "target" {
			targets = append(targets, r.str("selector"))
		}
		if r.str("path") == "" || r.str("viewport") != "lg" {
			t.Errorf("heatmap row without path or viewport lg: %v", r)
		}
	}
	if !strings.Contains(strings.Join(targets, " "), "#rage") {
		t.Errorf("no target heatmap row for #rage among %d heatmap rows (%q)", len(heat), targets)
	}
}

const signupPage = `<style>body { margin: 0 } main { max-width: 1200px; margin: 0 auto; padding: 40px }
@media (min-width: 3000px) { main { max-width: 1600px } #signup { width: 330px; height: 66px } }
#signup { display: block; margin: 300px 0 0 140px; width: 220px; height: 44px } p { height: 2000px }</style>
<main><h1>Plans</h1><button id="signup">Sign up</button><p>Text</p></main>`

// TestMouseSameElementSameCell: a click at the same place on the same
// element lands in the same target cell at 1280, 1920 and 3840 px wide
// viewports, although the page's layout moves it.
func TestMouseSameElementSameCell(t *testing.T) {
	s := newCaptureSite(t, "", "data-dev data-mouse", map[string]string{"/plans": htmlPage("Plans", signupPage)})
	b := newBrowser(t)
	for _, width := range []int64{1280, 1920, 3840} {
		b.run(t, emulation.SetDeviceMetricsOverride(width, 900, 1, false), chromedp.Navigate(s.origin+"/plans"))
		waitTracker(t, b)
		waitMouse(t, b)
		var r []float64
		b.run(t, chromedp.Evaluate(`(r => [r.left, r.top, r.width, r.height])(document.getElementById('signup').getBoundingClientRect())`, &r))
		// 30 % across, 70 % down the button, wherever it is.
		b.run(t, clickAt(r[0]+0.35*r[2], r[1]+0.75*r[3], 50*time.Millisecond), chromedp.Sleep(300*time.Millisecond),
			chromedp.Navigate("about:blank"), chromedp.Sleep(500*time.Millisecond))
	}
	s.rows(t, b)
	cells := map[string]string{}
	grid := map[string]bool{}
	for _, r := range readHeatmapRows(t, s.data) {
		switch r.str("layer") {
		case "target":
			if r.str("selector") == "#signup" {
				cells[r.str("viewport")+" "+r.str("cells")] = r.str("event_id")
			}
		case "click":
			grid[r.str("cells")] = true
		}
	}
	// 1280 is lg, 1920 and 3840 xl; every click is in tenth 3 across, 7 down.
	if len(cells) != 2 || cells["lg 3.7:1"] == "" || cells["xl 3.7:1"] == "" {
		t.Errorf("target cells of #signup: %v", cells)
	}
	if len(grid) < 2 {
		t.Errorf("grid cells %v: the layout should move the button on the document grid", grid)
	}
}

// A generated pointer trajectory: movement samples and clicks with their
// delays, replayed through CDP in real time.
type step struct {
	x, y  float64
	wait  time.Duration // before this step
	click bool
	hold  time.Duration
}

func minJerk(tau float64) float64 { return tau * tau * tau * (10 - 15*tau + 6*tau*tau) }

// humanSteps reaches for targets the way a hand does (a minimum-jerk,
// slightly curved stroke with tremor, sometimes overshooting), clicks some
// of them after approaching them, pauses for log-normal times and drifts
// while reading (mouse/gen_test.go's person, replayed in a browser).
func humanSteps(rng *rand.Rand) []step {
	var out []step
	x, y := 640.0, 400.0
	stroke := func(tx, ty float64) {
		dist := math.Hypot(tx-x, ty-y)
		frames := max(int((80+160*math.Log2(dist/20+1))*(0.8+0.5*rng.Float64())/16.7), 2)
		bow := rng.NormFloat64() * 0.12 * dist
		nx, ny := -(ty-y)/max(dist, 1), (tx-x)/max(dist, 1)
		tremor := 0.6 + 0.8*rng.Float64()
		for f := 1; f <= frames; f++ {
			p := minJerk(float64(f) / float64(frames))
			arc := 4 * p * (1 - p) * bow
			out = append(out, step{x: x + (tx-x)*p + nx*arc + rng.NormFloat64()*tremor,
				y: y + (ty-y)*p + ny*arc + rng.NormFloat64()*tremor, wait: 17 * time.Millisecond})
		}
		x, y = out[len(out)-1].x, out[len(out)-1].y
	}
	for range 14 {
		tx, ty := 100+rng.Float64()*1000, 100+rng.Float64()*500
		if over := 0.03 + 0.07*rng.Float64(); rng.Float64() < 0.5 {
			stroke(tx+(tx-x)*over, ty+(ty-y)*over)
			out = append(out, step{x: x, y: y, wait: time.Duration(40+rng.IntN(120)) * time.Millisecond})
		}
		stroke(tx+rng.NormFloat64()*2, ty+rng.NormFloat64()*2)
		if rng.Float64() < 0.6 {
			out = append(out, step{x: x, y: y, wait: time.Duration(60+rng.IntN(250)) * time.Millisecond, click: true,
				hold: time.Duration(50+rng.IntN(100)) * time.Millisecond})
		}
		wait := time.Duration(math.Exp(5.5+1.2*rng.NormFloat64())) * time.Millisecond
		for i := range 1 + rng.IntN(8) { // a small drift after the pause
			x, y = x+rng.NormFloat64()*3, y+rng.NormFloat64()*3
			out = append(out, step{x: x, y: y, wait: 17 * time.Millisecond})
			if i == 0 {
				out[len(out)-1].wait = min(wait, 3*time.Second)
			}
		}
	}
	return out
}

// scriptSteps moves in straight lines at a constant speed, one sample per
// frame, and clicks at each target without holding the button.
func scriptSteps(rng *rand.Rand) []step {
	var out []step
	x, y := 640.0, 400.0
	for range 6 {
		tx, ty := 100+rng.Float64()*1000, 100+rng.Float64()*500
		frames := max(int(math.Hypot(tx-x, ty-y)/1.2/16.7), 4)
		for f := 1; f <= frames; f++ {
			p := float64(f) / float64(frames)
			out = append(out, step{x: x + (tx-x)*p, y: y + (ty-y)*p, wait: 17 * time.Millisecond})
		}
		x, y = tx, ty
		out = append(out, step{x: x, y: y, wait: 300 * time.Millisecond, click: true})
	}
	return out
}

func replay(steps []step) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for _, s := range steps {
			time.Sleep(s.wait)
			if !s.click {
				if err := input.DispatchMouseEvent(input.MouseMoved, s.x, s.y).Do(ctx); err != nil {
					return err
				}
				continue
			}
			if err := clickAt(s.x, s.y, s.hold).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestMouseBotScore is issue 5's one Chromium run of the bot score:
// scripted straight-line CDP movement scores as a bot, a human-like
// generated trajectory does not, and the reasons come with the score.
func TestMouseBotScore(t *testing.T) {
	page := htmlPage("Read", `<p style="height: 3000px">Text</p>`)
	s := newCaptureSite(t, "    bots: flag\n", "data-dev data-mouse", map[string]string{"/human": page, "/script": page})
	b := newBrowser(t)
	rng := rand.New(rand.NewPCG(5, 7))
	for _, run := range []struct {
		path  string
		steps []step
	}{{"/human", humanSteps(rng)}, {"/script", scriptSteps(rng)}} {
		b.run(t, chromedp.Navigate(s.origin+run.path))
		waitTracker(t, b)
		waitMouse(t, b)
		b.run(t, replay(run.steps), chromedp.Sleep(300*time.Millisecond), chromedp.Navigate("about:blank"), chromedp.Sleep(500*time.Millisecond))
	}
	rows := s.rows(t, b)
	last := map[string]row{} // the last (whole-visit) score of each page
	for _, r := range ofType(rows, "bot") {
		last[r.str("path")] = r
	}
	human, script := last["/human"], last["/script"]
	if human == nil || script == nil {
		t.Fatalf("bot rows: %v", ofType(rows, "bot"))
	}
	t.Logf("human: score %v (%s); script: score %v (%s)", human["bot_score"], human.str("bot_reasons"), script["bot_score"], script.str("bot_reasons"))
	if hs, ss := human["bot_score"].(float64), script["bot_score"].(float64); hs > 30 || ss < 70 {
		t.Errorf("scores: human %v, script %v; want at most 30 and at least 70", hs, ss)
	}
	if script.str("bot_reasons") == "" {
		t.Error("the script's score has no reasons")
	}
	// bots: flag puts the batch's score on the other rows of its batch.
	flagged := 0
	for _, r := range rows {
		if r.str("type") != "bot" && r["bot_score"] != nil {
			flagged++
		}
	}
	if flagged == 0 {
		t.Error("no other row carries the bot score under bots: flag")
	}
}

// TestMouseQuickBackAcrossDocuments: a page left by a link and restored
// from the back/forward cache within 5 s is one quick back; the link's
// click is not a dead click (the page went away).
func TestMouseQuickBackAcrossDocuments(t *testing.T) {
	pages := map[string]string{
		"/a": htmlPage("A", `<a id="b" href="/b">b</a><script>addEventListener('pageshow', e => { if (e.persisted) window.restored = 1 })</script>`),
		"/b": htmlPage("B", `<p>b</p>`),
	}
	s := newCaptureSite(t, "", "data-dev data-mouse", pages)
	b := newBrowser(t)
	b.run(t, chromedp.Navigate(s.origin+"/a"))
	waitTracker(t, b)
	waitMouse(t, b)
	x, y := center(t, b, "b")
	var restored int
	b.run(t, clickAt(x, y, 50*time.Millisecond), chromedp.WaitVisible("p", chromedp.ByQuery), chromedp.Sleep(time.Second),
		chromedp.Evaluate(`history.back()`, nil), chromedp.Sleep(time.Second), chromedp.Evaluate(`window.restored || 0`, &restored),
		chromedp.Sleep(2500*time.Millisecond))
	if restored != 1 {
		t.Fatalf("page /a was not restored from the back/forward cache: the test needs it")
	}
	rows := s.rows(t, b)
	if got := signals(rows); strings.Join(got, "|") != "quick_back  <nil> " {
		t.Errorf("frustration rows %q, want one quick back", got)
	}
	if qb := ofType(rows, "frustration"); len(qb) == 1 && qb[0].str("path") != "/a" {
		t.Errorf("quick back on %s, want /a", qb[0].str("path"))
	}
}
