package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/scrub"
	"github.com/crumbless/crumbless/sdk/wire"
)

// line is one line of testdata/harness.js's output: a request the loader
// made, or a step of the scenario.
type line struct {
	// A request: by fetch or beacon, made when the fake clock read At; for
	// a fetch, how the fake network answered ("204", "503,3", "network").
	Via, URL, Type, Method, Credentials, Mode, Body, Answer string
	Gzip, Keepalive                                         bool
	At                                                      int64

	// A step: what the scenario saw then.
	Step          string
	Clock         int64
	Timers        []int64  // the armed timers' delays from now, soonest first
	Requests      int      // posts and beacons made so far
	Storage       []string // every access to device storage so far: "get KEY", "set KEY", "remove KEY"
	Stored        map[string]string
	Warnings      int
	WasmFetches   int
	PolicyFetch   *struct{ URL, Credentials string }
	Early         int // the module's and the policy's fetches made while the loader's script ran
	DataLayerPush int
	// How long one crumbless('event', ...) call took, in real time.
	SpacedMillis, WordMillis float64

	Error     string
	Unhandled string // a promise rejection the loader left unhandled

	Addons []string // the scripts the loader added to the page: "script URL"
}

// options are testdata/harness.js's.
type options struct {
	Policy    string            `json:"policy,omitempty"`  // the body of GET /c; none: 404
	Storage   map[string]string `json:"storage,omitempty"` // device storage at load
	Clock     int64             `json:"clock,omitempty"`   // the time at load
	Href      string            `json:"href,omitempty"`
	Title     string            `json:"title,omitempty"`
	Referrer  string            `json:"referrer,omitempty"`
	Offline   bool              `json:"offline,omitempty"`
	Webdriver bool              `json:"webdriver,omitempty"`
	Inputs    []string          `json:"inputs,omitempty"`  // the scrub scenario's prop values
	Mouse     bool              `json:"mouse,omitempty"`   // the tag has data-mouse
	Loading   bool              `json:"loading,omitempty"` // the page is still loading: no load event, no idle moment
}

// run is what one run of the harness printed.
type run []line

// runHarness runs the committed loader and module in Node with a fake
// browser around them (testdata/harness.js) and returns what it printed.
// Every request's body must be a batch the collector accepts.
func runHarness(t *testing.T, scenario string, opts options) run {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the loader's tests run it (apt-get install nodejs)")
	}
	arg, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/harness.js", distDir, scenario, string(arg))
	cmd.Env = append(os.Environ(), "TZ=Europe/London")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("harness: %v\n%s", err, out)
	}
	var r run
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 4<<20)
	done := false
	for sc.Scan() {
		if sc.Text() == `"done"` {
			done = true
			continue
		}
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("harness printed %q: %v", sc.Text(), err)
		}
		if l.Error != "" {
			t.Fatalf("harness: %s", l.Error)
		}
		if l.Unhandled != "" {
			t.Errorf("the loader left a promise rejection unhandled, an error in the page's console: %s", l.Unhandled)
		}
		if l.Via != "" {
			parse(t, l.Body)
		}
		r = append(r, l)
	}
	if !done {
		t.Fatalf("harness did not finish:\n%s", out)
	}
	return r
}

// step returns the step named name.
func (r run) step(t *testing.T, name string) line {
	t.Helper()
	for _, l := range r {
		if l.Step == name {
			return l
		}
	}
	t.Fatalf("no step %q in %+v", name, r)
	return line{}
}

// requests returns the requests, in the order the harness saw them.
func (r run) requests() []line {
	var reqs []line
	for _, l := range r {
		if l.Via != "" {
			reqs = append(reqs, l)
		}
	}
	return reqs
}

// events returns the events of every request, in order.
func (r run) events(t *testing.T) []wire.Event {
	t.Helper()
	var evs []wire.Event
	for _, req := range r.requests() {
		evs = append(evs, parse(t, req.Body).Events...)
	}
	return evs
}

// parse parses a batch as the collector does. The batch is the caller's:
// each call has its own Parser.
func parse(t *testing.T, body string) *wire.Batch {
	t.Helper()
	var p wire.Parser
	b, err := p.Parse([]byte(body))
	if err != nil {
		t.Fatalf("invalid batch: %v\n%s", err, body)
	}
	if string(b.Site) != "example.com" || b.SentAt <= 0 {
		t.Errorf("batch site %q sent_at %d:\n%s", b.Site, b.SentAt, body)
	}
	return b
}

// names returns a batch's events as "type:name".
func names(evs []wire.Event) []string {
	var s []string
	for _, e := range evs {
		s = append(s, e.Kind.String()+":"+string(e.Name))
	}
	return s
}

// sortedNames returns names(evs), sorted.
func sortedNames(evs []wire.Event) string {
	s := names(evs)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// props returns an event's props as "k=v&k=v".
func props(e wire.Event) string {
	var kv []string
	for _, p := range e.Props {
		kv = append(kv, string(p.Key)+"="+string(p.Value))
	}
	return strings.Join(kv, "&")
}

// ids returns the ids of a batch's events.
func ids(b *wire.Batch) []string {
	var s []string
	for _, e := range b.Events {
		s = append(s, string(e.ID))
	}
	return s
}

// find returns the first event named typeName ("type:name"), or fails.
func find(t *testing.T, evs []wire.Event, typeName string) wire.Event {
	t.Helper()
	for _, e := range evs {
		if e.Kind.String()+":"+string(e.Name) == typeName {
			return e
		}
	}
	t.Fatalf("no %s among %v", typeName, names(evs))
	return wire.Event{}
}

func TestLoaderInNode(t *testing.T) {
	// notype: the module's response has no Content-Type; the loader
	// compiles its bytes, so it works all the same.
	for _, scenario := range []string{"default", "notype"} {
		t.Run(scenario, func(t *testing.T) {
			r := runHarness(t, scenario, options{})
			load := r.step(t, "load")
			// (The start's 1.5-s cap stays armed; it does nothing once started.)
			if load.Warnings != 0 || load.WasmFetches != 1 || !slices.Equal(load.Timers, []int64{1500, 2000}) {
				t.Errorf("after load: %d warnings, %d module fetches (want 1), timers %v (want the start's cap in 1500 ms, the flush in 2000 ms)",
					load.Warnings, load.WasmFetches, load.Timers)
			}
			// The policy is asked for without credentials; an older collector's
			// 404 leaves the tracker as it was, cookieless and storage-free.
			if p := load.PolicyFetch; p == nil || p.URL != "https://stats.example.com/c?site=example.com" || p.Credentials != "omit" {
				t.Errorf("policy fetch %+v", p)
			}

			reqs := r.requests()
			if len(reqs) != 3 {
				t.Fatalf("got %d requests, want a post and two beacons: %+v", len(reqs), reqs)
			}
			// The timed flush: gzip, fetch keepalive, no credentials, a simple
			// request's content type (none: gzipped bytes), to /e next to the
			// script.
			post := reqs[0]
			if post.Via != "fetch" || !post.Gzip || !simpleType(post.Type) || post.Method != "POST" ||
				!post.Keepalive || post.Credentials != "omit" || post.Mode != "cors" || post.URL != "https://stats.example.com/e" {
				t.Errorf("timed flush sent as %+v", post)
			}
			b := parse(t, post.Body)
			if b.SentAt != post.At || len(b.Tier) != 0 || len(b.Policy) != 0 || b.Automated {
				t.Errorf("batch sent_at %d (posted at %d), tier %q, policy %q, automated %v: want the time of the post and no consent fields",
					b.SentAt, post.At, b.Tier, b.Policy, b.Automated)
			}
			if got := sortedNames(b.Events); got != "custom:early,custom:signup,pageview:" {
				t.Errorf("timed batch holds %s", got)
			}
			if got := props(find(t, b.Events, "custom:early")); got != "from=stub" {
				t.Errorf("early props %q", got)
			}
			if got := props(find(t, b.Events, "custom:signup")); got != `plan=pro&seats=3&yearly=true&tags=["a","b"]` {
				t.Errorf("signup props %q", got)
			}
			// The page record: the path without the query (no data-query) or
			// the hash (no data-hash), the referrer's origin and path, the
			// campaign, and the click id's name without its value (no
			// policy: no marketing flag).
			pv := find(t, b.Events, "pageview:")
			got := []string{string(pv.Path), string(pv.Referrer), string(pv.Title), string(pv.Viewport), string(pv.Lang),
				string(pv.TZ), string(pv.UTMSource), string(pv.Click), string(pv.ClickID), strconv.FormatInt(pv.Status, 10)}
			want := []string{"/pricing", "https://search.example/results", "Pricing", "lg", "en-GB",
				"Europe/London", "newsletter", "gclid", "", "0"}
			if !slices.Equal(got, want) {
				t.Errorf("pageview fields\n got %q\nwant %q", got, want)
			}

			// The burst of 20 was being compressed when the page was hidden:
			// it goes raw by beacon, and so does the rest of the queue with the
			// page's vitals and leave summary. pagehide after visibilitychange
			// sends nothing more.
			var burst, last *wire.Batch
			for _, req := range reqs[1:] {
				if req.Via != "beacon" || !simpleType(req.Type) || req.URL != "https://stats.example.com/e" {
					t.Fatalf("on hide: %+v, want beacons", req)
				}
				if b := parse(t, req.Body); len(b.Events) == 20 {
					burst = b
				} else {
					last = b
				}
			}
			if burst == nil || last == nil {
				t.Fatalf("on hide: no burst batch of 20 events and a last one: %+v", reqs[1:])
			}
			if got := strings.Join(slices.Compact(names(burst.Events)), ","); got != "custom:burst" {
				t.Errorf("burst batch holds %s", got)
			}
			if got := sortedNames(last.Events); got != "custom:last,leave:,vitals:" {
				t.Errorf("last batch holds %s", got)
			}
			if v := find(t, last.Events, "vitals:"); v.FCP != 312 || v.TTFB != 88 || v.LCP != 0 {
				t.Errorf("vitals FCP %d TTFB %d LCP %d, want 312, 88 and none", v.FCP, v.TTFB, v.LCP)
			}
			if l := find(t, last.Events, "leave:"); l.Duration != 2000 || l.Scroll != 20 {
				t.Errorf("leave duration %d scroll %d, want 2000 ms and 20 %%", l.Duration, l.Scroll)
			}
			end := r.step(t, "end")
			if len(end.Timers) != 0 || end.Requests != 3 {
				t.Errorf("after hide: timers %v, %d requests; want none armed and 3", end.Timers, end.Requests)
			}
			if len(end.Storage) != 0 {
				t.Errorf("the loader touched device storage without T3: %v", end.Storage)
			}
		})
	}
}

func TestLoaderWithoutSite(t *testing.T) {
	r := runHarness(t, "nosite", options{})
	if load := r.step(t, "load"); load.Warnings != 1 || load.WasmFetches != 0 || load.Requests != 0 {
		t.Errorf("without data-site: %+v; want one warning and nothing fetched", load)
	}
}

// consentPolicy returns the body of GET /c for a consent-basis site whose
// authoritative source is a TCF CMP, for a visitor in France, and the
// policy's hash. The harness's CMP grants publisher purposes 1 and 8: T3.
func consentPolicy() (body, hash string) {
	p := consent.Policy{Basis: consent.BasisConsent, Authority: consent.SourceTCF, WaitMillis: 500, ValidityDays: 390}
	fr := consent.Region{Country: "FR"}
	prof, _ := p.ProfileFor(fr) // line 3: the profile the edge resolves
	b := consent.AppendRegion(append(consent.AppendPolicy(nil, &p), '\n'), fr)
	b = consent.AppendProfileLetter(append(b, '\n'), prof)
	return string(b), string(p.AppendHash(nil))
}

// checkID returns the T3 id stored as ID.EXPIRY, or fails.
func checkID(t *testing.T, stored map[string]string) string {
	t.Helper()
	id := stored["crumbless_id"]
	if len(id) < 34 || id[32] != '.' {
		t.Fatalf("stored %q after T3, want ID.EXPIRY", stored)
	}
	return id[:32]
}

// TestLoaderConsent: the module decides T3, the loader reads the stored id
// and any stored batches, keeps the id it is given, and the batch carries
// it; a withdrawal removes the id and the queue and nothing more is sent
// (T0), nor written to storage, even offline on hide.
func TestLoaderConsent(t *testing.T) {
	policy, hash := consentPolicy()
	r := runHarness(t, "consent", options{Policy: policy})
	load := r.step(t, "load")
	if want := []string{"get crumbless_id", "set crumbless_id", "get crumbless_queue"}; !slices.Equal(load.Storage, want) {
		t.Errorf("storage at T3: %q, want %q", load.Storage, want)
	}
	id := checkID(t, load.Stored)
	reqs := r.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1: %+v", len(reqs), reqs)
	}
	b := parse(t, reqs[0].Body)
	if string(b.Tier) != "T3" || string(b.UID) != id || string(b.Policy) != hash {
		t.Errorf("batch tier %s uid %s policy %s", b.Tier, b.UID, b.Policy)
	}
	if got := sortedNames(b.Events); got != "consent:,custom:early,custom:linked,pageview:" {
		t.Errorf("events %s", got)
	}
	if e := find(t, b.Events, "consent:"); string(e.Method) != "tcf" || string(e.Evidence) != "CP-TC-STRING" {
		t.Errorf("consent event method %q evidence %q", e.Method, e.Evidence)
	}
	w := r.step(t, "withdrawn")
	want := append(slices.Clone(load.Storage), "remove crumbless_id", "remove crumbless_queue")
	if len(w.Stored) != 0 || w.Requests != 1 || !slices.Equal(w.Storage, want) || w.DataLayerPush != 2 {
		t.Errorf("after withdrawal: stored %v, %d requests, storage %q (want %q), dataLayer.push returned %d (want 2)",
			w.Stored, w.Requests, w.Storage, want, w.DataLayerPush)
	}
	if end := r.step(t, "end"); end.Requests != 1 || !slices.Equal(end.Storage, want) {
		t.Errorf("hidden offline below T3: %d requests, storage %q; want nothing sent or stored", end.Requests, end.Storage)
	}
}

// TestLoaderSPA: pushState to another path is a new pageview 50 ms later,
// with the previous URL as its referrer and the title the router set; the
// previous page's leave summary comes first, with its scroll depth. A
// replaceState that keeps the path is no new pageview. A page hidden,
// shown and hidden again sends on each hide.
func TestLoaderSPA(t *testing.T) {
	r := runHarness(t, "spa", options{})
	load, pushed, settling := r.step(t, "load"), r.step(t, "pushed"), r.step(t, "settling")
	if !slices.Contains(pushed.Timers, 50) || !slices.Contains(settling.Timers, 1) {
		t.Errorf("timers after pushState %v, 49 ms later %v: want the 50 ms settle timer", pushed.Timers, settling.Timers)
	}
	evs := r.events(t)
	var views []wire.Event
	for _, e := range evs {
		if e.Kind == wire.KindPageview {
			views = append(views, e)
		}
	}
	if len(views) != 2 {
		t.Fatalf("%d pageviews, want 2 (the load and pushState; not replaceState): %v", len(views), names(evs))
	}
	v := views[1]
	if string(v.Path) != "/docs" || string(v.Referrer) != "https://example.com/pricing" || string(v.Title) != "Docs" || v.TS != pushed.Clock+50 {
		t.Errorf("SPA pageview path %q referrer %q title %q at %+d ms; want /docs, https://example.com/pricing, Docs, 50 ms after pushState",
			v.Path, v.Referrer, v.Title, v.TS-pushed.Clock)
	}
	var leaves []string
	for _, e := range evs {
		if e.Kind == wire.KindLeave {
			leaves = append(leaves, string(e.Path)+" "+strconv.FormatInt(e.Duration, 10)+" "+strconv.FormatInt(e.Scroll, 10))
		}
	}
	// A summary at each hide, and one for the page a new view replaces;
	// the scroll depth is the view's deepest (the page stays at 50 %).
	want := []string{"/pricing " + strconv.FormatInt(pushed.Clock+50-load.Clock, 10) + " 50", "/docs 2000 50", "/docs 1000 50"}
	if !slices.Equal(leaves, want) {
		t.Errorf("leave summaries %q, want %q", leaves, want)
	}
	// Hidden, visible again, hidden again: the second hide sends too.
	reqs := r.requests()
	if last := reqs[len(reqs)-1]; last.Via != "beacon" || sortedNames(parse(t, last.Body).Events) != "custom:back,leave:" {
		t.Errorf("the second hide sent %s %s, want a beacon of the event and a leave summary", last.Via, last.Body)
	}
}

// TestLoaderRetries: 503 with Retry-After is retried no sooner than asked,
// with the same events and a newer sent_at; a 400 is not retried; network
// errors are retried with a doubling backoff, 7 attempts in all.
func TestLoaderRetries(t *testing.T) {
	r := runHarness(t, "retry", options{})
	reqs := r.requests()
	if len(reqs) != 10 {
		t.Fatalf("got %d requests, want 2 + 1 + 7: %+v", len(reqs), reqs)
	}
	first, again := parse(t, reqs[0].Body), parse(t, reqs[1].Body)
	if reqs[0].Answer != "503,3" || reqs[1].Answer != "202" {
		t.Fatalf("answers %s, %s", reqs[0].Answer, reqs[1].Answer)
	}
	if !slices.Equal(ids(first), ids(again)) || again.SentAt-first.SentAt < 3000 || again.SentAt != reqs[1].At {
		t.Errorf("retry after 503: ids %v then %v, sent_at %+d ms later (want the same ids, at least 3000 ms, the time of the attempt)",
			ids(first), ids(again), again.SentAt-first.SentAt)
	}
	if s := r.step(t, "before-retry-after"); s.Requests != 1 {
		t.Errorf("%d requests 2999 ms after the 503 with Retry-After: 3, want 1", s.Requests)
	}
	if s := r.step(t, "retried"); s.Requests != 2 || len(s.Timers) != 0 {
		t.Errorf("after the 202: %d requests, timers %v; want 2 and none", s.Requests, s.Timers)
	}
	if b := parse(t, reqs[2].Body); reqs[2].Answer != "400" || sortedNames(b.Events) != "custom:rejected" {
		t.Errorf("third request: answer %s, events %s", reqs[2].Answer, sortedNames(b.Events))
	}
	if s := r.step(t, "rejected"); s.Requests != 3 {
		t.Errorf("%d requests 10 min after a 400, want 3: a 400 is not retried", s.Requests)
	}
	var prev *wire.Batch
	for n, req := range reqs[3:] {
		b := parse(t, req.Body)
		if req.Answer != "network" || sortedNames(b.Events) != "custom:unreachable" {
			t.Errorf("attempt %d: answer %s, events %s", n+1, req.Answer, sortedNames(b.Events))
		}
		if prev != nil {
			// 1 s doubling, less up to a half.
			base := min(int64(60000), int64(1000)<<(n-1))
			if gap := b.SentAt - prev.SentAt; gap < base/2 || gap > base || !slices.Equal(ids(b), ids(prev)) {
				t.Errorf("attempt %d: %d ms after the one before (want %d to %d ms), ids %v then %v",
					n+1, gap, base/2, base, ids(prev), ids(b))
			}
		}
		prev = b
	}
	if s := r.step(t, "end"); s.Requests != 10 || len(s.Timers) != 0 {
		t.Errorf("an hour after the 7th network error: %d requests, timers %v; want 10 and none (given up)", s.Requests, s.Timers)
	}
}

// TestLoaderOffline: offline, nothing is posted or beaconed, even on hide;
// the online event sends the waiting batches. Below T3 nothing is stored.
func TestLoaderOffline(t *testing.T) {
	r := runHarness(t, "offline", options{Offline: true})
	if s := r.step(t, "hidden"); s.Requests != 0 {
		t.Errorf("%d requests while offline, want none", s.Requests)
	}
	end := r.step(t, "end")
	reqs := r.requests()
	if end.Requests != 2 || len(reqs) != 2 || reqs[0].Via != "fetch" || reqs[1].Via != "fetch" {
		t.Fatalf("once online: %+v, want the two waiting batches posted", reqs)
	}
	if got := sortedNames(r.events(t)); got != "custom:early,leave:,pageview:,vitals:" {
		t.Errorf("sent once online: %s", got)
	}
	if len(end.Storage) != 0 {
		t.Errorf("offline below T3, the loader touched device storage: %q", end.Storage)
	}
}

// TestLoaderT3Queue: at T3, batches still waiting offline when the page is
// hidden go to storage, one JSON batch per line; the next page load at T3
// sends them, with their event ids and a new sent_at, and the same visitor
// id, and leaves nothing stored to send again.
func TestLoaderT3Queue(t *testing.T) {
	policy, hash := consentPolicy()
	r1 := runHarness(t, "t3queue", options{Policy: policy})
	end1 := r1.step(t, "end")
	id := checkID(t, end1.Stored)
	if end1.Requests != 0 {
		t.Errorf("%d requests while offline, want none", end1.Requests)
	}
	// The queue is written at each hide: visibilitychange, then pagehide.
	if want := []string{"get crumbless_id", "set crumbless_id", "get crumbless_queue", "set crumbless_queue", "set crumbless_queue"}; !slices.Equal(end1.Storage, want) {
		t.Errorf("storage %q, want %q", end1.Storage, want)
	}
	lines := strings.Split(end1.Stored["crumbless_queue"], "\n")
	if len(lines) != 2 {
		t.Fatalf("stored queue %q, want two batches", end1.Stored["crumbless_queue"])
	}
	var stored []*wire.Batch
	var all []wire.Event
	for _, l := range lines {
		b := parse(t, l)
		if string(b.Tier) != "T3" || string(b.UID) != id || string(b.Policy) != hash {
			t.Errorf("stored batch tier %s uid %s policy %s", b.Tier, b.UID, b.Policy)
		}
		stored = append(stored, b)
		all = append(all, b.Events...)
	}
	if got := sortedNames(all); got != "consent:,custom:early,custom:offline-a,custom:offline-b,leave:,pageview:,vitals:" {
		t.Errorf("stored events %s", got)
	}

	// The next page, an hour later.
	r2 := runHarness(t, "t3resume", options{Policy: policy, Storage: end1.Stored, Clock: end1.Clock + 3600000})
	load2 := r2.step(t, "load")
	if want := []string{"get crumbless_id", "get crumbless_queue"}; !slices.Equal(load2.Storage, want) {
		t.Errorf("storage on the next page at load: %q, want %q (the id kept as it is)", load2.Storage, want)
	}
	reqs := r2.requests()
	for i, s := range stored {
		found := false
		for _, req := range reqs {
			b := parse(t, req.Body)
			if slices.Equal(ids(b), ids(s)) {
				found = true
				if req.Via != "fetch" || b.SentAt <= s.SentAt || b.SentAt != req.At {
					t.Errorf("stored batch %d sent again by %s with sent_at %d (stored with %d, posted at %d)", i, req.Via, b.SentAt, s.SentAt, req.At)
				}
			}
		}
		if !found {
			t.Errorf("stored batch %d (ids %v) not sent by the next page", i, ids(s))
		}
	}
	if len(reqs) != 4 {
		t.Errorf("the next page made %d requests, want the 2 stored batches and its own 2", len(reqs))
	}
	for _, req := range reqs {
		if b := parse(t, req.Body); string(b.UID) != id {
			t.Errorf("the next page sent uid %q, want the stored %q", b.UID, id)
		}
	}
	if end2 := r2.step(t, "end"); end2.Stored["crumbless_queue"] != "" {
		t.Errorf("after the next page was hidden online, stored queue %q: sent batches would be sent again", end2.Stored["crumbless_queue"])
	}
}

// TestLoaderT3QueueUnreadable: a stored queue line that is not JSON (from
// another version of the loader, say) is skipped; the lines after it are
// still sent, and nothing reaches the console.
func TestLoaderT3QueueUnreadable(t *testing.T) {
	policy, _ := consentPolicy()
	r1 := runHarness(t, "t3queue", options{Policy: policy})
	end1 := r1.step(t, "end")
	stored := maps.Clone(end1.Stored)
	stored["crumbless_queue"] = "{not json\n" + stored["crumbless_queue"]
	r2 := runHarness(t, "t3resume", options{Policy: policy, Storage: stored, Clock: end1.Clock + 3600000})
	sent := map[string]bool{}
	for _, req := range r2.requests() {
		for _, id := range ids(parse(t, req.Body)) {
			sent[id] = true
		}
	}
	var lost []string
	for _, l := range strings.Split(end1.Stored["crumbless_queue"], "\n") {
		for _, id := range ids(parse(t, l)) {
			if !sent[id] {
				lost = append(lost, id)
			}
		}
	}
	if len(lost) > 0 {
		t.Errorf("after an unreadable line in crumbless_queue, the stored events %v are never sent", lost)
	}
}

// TestLoaderAutomated: navigator.webdriver marks the batches.
func TestLoaderAutomated(t *testing.T) {
	r := runHarness(t, "automated", options{Webdriver: true})
	reqs := r.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	if b := parse(t, reqs[0].Body); !b.Automated || !strings.Contains(reqs[0].Body, `"automated":1`) {
		t.Errorf("batch of a webdriver page: %s, want \"automated\":1", reqs[0].Body)
	}
}

// TestLoaderEngagement: a click tells the module the visitor used the page
// (there is no mousedown listener), in one feed with a tracked click's
// record; so does a key. After 40 s idle, the first 30 count as engaged;
// then the clicks and the key keep the visitor engaged to the end.
func TestLoaderEngagement(t *testing.T) {
	r := runHarness(t, "engaged", options{})
	var leave *wire.Event
	clicks := 0
	for _, req := range r.requests() {
		b := parse(t, req.Body)
		for i := range b.Events {
			switch e := &b.Events[i]; e.Kind {
			case wire.KindLeave:
				leave = e
			case wire.KindCustom:
				if string(e.Name) == "more" {
					clicks++
				}
			}
		}
	}
	if leave == nil || leave.Duration != 70000 || leave.Engaged != 60000 {
		t.Errorf("leave summary %+v: want 70,000 ms on the page, 60,000 engaged", leave)
	}
	if clicks != 1 {
		t.Errorf("%d events for the tracked click, want 1", clicks)
	}
}

// TestLoaderCutsLargeFields: a captured field is cut to 2,048 characters
// before it is scrubbed (and the module cuts a prop to its wire limit), so
// events with huge props still go out, and the loader goes on. (A feed over
// 128 KiB, which crumbless_buffer refuses with 0, is dropped: the module
// tests check the refusal.)
func TestLoaderCutsLargeFields(t *testing.T) {
	r := runHarness(t, "large", options{})
	reqs := r.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2: %+v", len(reqs), reqs)
	}
	b := parse(t, reqs[0].Body)
	if got := sortedNames(b.Events); got != "custom:after,custom:big,custom:early,custom:huge,pageview:" {
		t.Errorf("first batch holds %s", got)
	}
	if got := props(find(t, b.Events, "custom:big")); got != "v="+strings.Repeat("x ", wire.MaxPropValueLen/2) {
		t.Errorf("big prop of %d bytes, want %d", len(got)-2, wire.MaxPropValueLen)
	}
	if got := sortedNames(parse(t, reqs[1].Body).Events); got != "custom:later" {
		t.Errorf("second batch holds %s", got)
	}
}

// TestLoaderScrubsInLinearTime: a prop of 20,000 characters in one word
// (a long hex, base64url or percent-encoded value) must cost about what
// 20,000 characters in words of two do: a few milliseconds, and never
// 200 (the shortest of three calls is taken). scrub()'s e-mail pattern
// backtracks over a run of local-part characters from each position, so
// the loader cuts a field to 2,048 characters before scrubbing it.
func TestLoaderScrubsInLinearTime(t *testing.T) {
	s := runHarness(t, "longword", options{}).step(t, "timed")
	if s.WordMillis > 200 {
		t.Errorf("scrub(): crumbless('event', name, {v: 'x'.repeat(20000)}) blocked the page for %.0f ms "+
			"(with 20,000 characters in words of two: %.1f ms). The e-mail pattern backtracks over the whole run of "+
			"[\\w.%%+-] at each of its positions (quadratic), and fields are scrubbed before they are cut.",
			s.WordMillis, s.SpacedMillis)
	}
}

// TestLoaderScrub: the loader takes e-mail addresses and tokens out of the
// page, event, click and form records. Over every input of sdk/scrub's
// test tables, sent as custom event props through the loader and module,
// the edge's scrub finishes the job: scrub.Append(loader(x)) ==
// scrub.Append(x), so the page never scrubs what the edge would not. The
// loader does e-mail addresses and tokens in full and leaves card numbers
// to the edge.
func TestLoaderScrub(t *testing.T) {
	scrubs, ordinary := scrubInputs(t)
	inputs := append(slices.Clone(scrubs), ordinary...)
	r := runHarness(t, "scrub", options{
		Inputs:   inputs,
		Href:     "https://example.com/users/jane.doe@example.com/orders?x=1",
		Title:    "Orders of jane@example.com",
		Referrer: "https://mail.example/reset/8f3kQ29xLmZp7RtA0cVbN4sWqY1uE6hD?step=2",
	})
	evs := r.events(t)
	got := sentProps(t, evs, "scrub")
	for i, x := range inputs {
		page, ok := got["p"+strconv.Itoa(i)]
		if !ok {
			t.Errorf("input %q: not sent", x)
			continue
		}
		edge := string(scrub.Append(nil, []byte(x)))
		if after := string(scrub.Append(nil, []byte(page))); after != edge {
			t.Errorf("input %q: the loader sent %q, which the edge makes %q; the edge alone makes %q", x, page, after, edge)
		}
		switch {
		case i >= len(scrubs) && page != x:
			t.Errorf("ordinary text %q: the loader sent %q", x, page)
		case i < len(scrubs) && !strings.Contains(edge, "[card]") && page != edge:
			t.Errorf("input %q: the loader sent %q, want %q", x, page, edge)
		case i < len(scrubs) && !strings.Contains(edge, "[email]") && !strings.Contains(edge, "[token]") && page != x:
			t.Errorf("card input %q: the loader sent %q, want it unchanged (cards are the edge's)", x, page)
		}
	}

	pv := find(t, evs, "pageview:")
	if string(pv.Path) != "/users/[email]/orders" || string(pv.Title) != "Orders of [email]" || string(pv.Referrer) != "https://mail.example/reset/[token]" {
		t.Errorf("pageview path %q title %q referrer %q", pv.Path, pv.Title, pv.Referrer)
	}
	if p := props(find(t, evs, "custom:share")); p != "to=[email]" {
		t.Errorf("click event props %q, want to=[email]", p)
	}
	if f := find(t, evs, "form:"); string(f.Form) != "[token]" {
		t.Errorf("form %q, want [token]", f.Form)
	}
}

// sentProps returns the props of the custom events named name.
func sentProps(t *testing.T, evs []wire.Event, name string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, e := range evs {
		if string(e.Name) == name {
			for _, p := range e.Props {
				got[string(p.Key)] = string(p.Value)
			}
		}
	}
	return got
}

// TestLoaderScrubAgreesWithTheEdge: the property of TestLoaderScrub on
// inputs outside sdk/scrub's tables, where the loader's two regular
// expressions (e-mail addresses over the whole text first, then tokens)
// and sdk/scrub's single left-to-right pass could disagree. Two shapes
// still differ, both ways of scrubbing more in the page, and are left
// out: a JWT-like word as an e-mail's local part ("eyJabcdefghij@example.com":
// the page sends [email], the edge alone makes [token]@example.com) and a
// token, a dot and an e-mail ("<32 hex>.x@example.com": [email] against
// [token][email]).
func TestLoaderScrubAgreesWithTheEdge(t *testing.T) {
	inputs := []string{
		// A long token right before an @ that starts no e-mail domain: the
		// edge keeps the word (an e-mail's local part), the loader does not.
		"deadbeefdeadbeefdeadbeefdeadbeef@localhost",
		// %40 then a hex word: the edge keeps %40 whole and the word with
		// it; the loader takes "40deadbeef..." for a token and leaves "%".
		"?to=%40deadbeefdeadbeefdeadbeefdeadbeef",
	}
	got := sentProps(t, runHarness(t, "scrub", options{Inputs: inputs}).events(t), "scrub")
	for i, x := range inputs {
		page := got["p"+strconv.Itoa(i)]
		edge := string(scrub.Append(nil, []byte(x)))
		if after := string(scrub.Append(nil, []byte(page))); after != edge {
			t.Errorf("scrub(), which should replace only what sdk/scrub does: %q is sent as %q, "+
				"which the edge makes %q; the edge alone makes %q", x, page, after, edge)
		}
	}
}

// scrubInputs returns the inputs of sdk/scrub's test tables, read from its
// source: the in fields of TestAppendScrubs, and the strings of
// TestAppendKeepsOrdinaryText.
func scrubInputs(t *testing.T) (scrubs, ordinary []string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../../scrub/scrub_test.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	var eval func(e ast.Expr) string
	eval = func(e ast.Expr) string {
		switch e := e.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING {
				return s
			}
		case *ast.Ident:
			if s, ok := consts[e.Name]; ok {
				return s
			}
		case *ast.BinaryExpr:
			if e.Op == token.ADD {
				return eval(e.X) + eval(e.Y)
			}
		case *ast.KeyValueExpr: // {in: ..., want: ...}
			return eval(e.Value)
		}
		t.Fatalf("sdk/scrub's test tables: cannot read %T", e)
		return ""
	}
	table := func(name string) []ast.Expr {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == name {
				for _, s := range fn.Body.List {
					if r, ok := s.(*ast.RangeStmt); ok {
						if c, ok := r.X.(*ast.CompositeLit); ok {
							return c.Elts
						}
					}
				}
			}
		}
		t.Fatalf("sdk/scrub's tests: no table in %s", name)
		return nil
	}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					consts[n.Name] = eval(vs.Values[i])
				}
			}
		}
	}
	for _, e := range table("TestAppendScrubs") {
		scrubs = append(scrubs, eval(e.(*ast.CompositeLit).Elts[0]))
	}
	for _, e := range table("TestAppendKeepsOrdinaryText") {
		ordinary = append(ordinary, eval(e))
	}
	if len(scrubs) < 20 || len(ordinary) < 20 {
		t.Fatalf("read %d and %d inputs from sdk/scrub's tables", len(scrubs), len(ordinary))
	}
	return scrubs, ordinary
}

// TestMouseAddonLoads: with data-mouse, the loader adds mouse.js from its
// own directory after the first pageview, once; without it, nothing.
func TestMouseAddonLoads(t *testing.T) {
	for _, mouse := range []bool{true, false} {
		r := runHarness(t, "mouse", options{Mouse: mouse})
		var load, end *line
		for i := range r {
			switch r[i].Step {
			case "load":
				load = &r[i]
			case "end":
				end = &r[i]
			}
		}
		want := []string(nil)
		if mouse {
			want = []string{"script https://stats.example.com/mouse.js"}
		}
		if load == nil || end == nil || len(load.Addons) != 0 || !slices.Equal(end.Addons, want) {
			t.Errorf("data-mouse %v: added at load %v, then %v; want %v", mouse, load, end, want)
		}
	}
}

// TestStartWaitsForThePage: the loader fetches nothing while the page
// loads; it starts when the page has loaded and the browser is idle, or 1.5
// s after it ran on a page still loading, and then sends what the page
// asked for before.
func TestStartWaitsForThePage(t *testing.T) {
	load := runHarness(t, "default", options{}).step(t, "load")
	if load.Early != 0 || load.WasmFetches != 1 || load.PolicyFetch == nil {
		t.Errorf("%d fetches before the page's load event, then module %d, policy %v once idle; want 0, then both",
			load.Early, load.WasmFetches, load.PolicyFetch)
	}

	r := runHarness(t, "start", options{Loading: true})
	if load, waited := r.step(t, "load"), r.step(t, "waited"); load.WasmFetches != 0 || load.PolicyFetch != nil || waited.WasmFetches != 0 {
		t.Errorf("a page still loading: module fetched %d times at once, %d after 1,499 ms, policy %v; want none", load.WasmFetches, waited.WasmFetches, load.PolicyFetch)
	}
	if started := r.step(t, "started"); started.WasmFetches != 1 || started.PolicyFetch == nil || len(started.Timers) == 0 {
		t.Errorf("a page still loading 1.5 s after the loader ran: module fetched %d times, policy %v, timers %v; want the start", started.WasmFetches, started.PolicyFetch, started.Timers)
	}
	sent := false
	for _, req := range r.requests() {
		sent = sent || strings.Contains(req.Body, `"name":"early"`)
	}
	if !sent {
		t.Errorf("the event queued before the start was not sent: %+v", r.requests())
	}
}

// simpleType reports whether a request with this Content-Type is a CORS
// simple request, sent without a preflight: none, or text/plain.
func simpleType(t string) bool {
	return t == "" || strings.HasPrefix(t, "text/plain")
}
