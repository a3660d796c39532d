package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// request is one line of testdata/harness.js's output.
type request struct {
	Via         string // fetch or beacon
	URL         string
	Type        string
	Gzip        bool
	Method      string
	Keepalive   bool
	Credentials string
	Mode        string
	Body        string

	// The status lines.
	Warnings, WasmFetches int
	Timer                 *int
	Error                 string
	PolicyFetch           *struct{ URL, Credentials string }
	StorageAccesses       int
	Stored                map[string]string
	Posts                 int
}

// runHarness runs the committed loader and module in Node with a fake
// browser around them (testdata/harness.js) and returns what it printed.
func runHarness(t *testing.T, scenario string, args ...string) []request {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the loader's tests run it (apt-get install nodejs)")
	}
	out, err := exec.Command(node, append([]string{"testdata/harness.js", distDir, scenario}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("harness: %v\n%s", err, out)
	}
	var reqs []request
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	done := false
	for sc.Scan() {
		if sc.Text() == `"done"` {
			done = true
			continue
		}
		var r request
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("harness printed %q: %v", sc.Text(), err)
		}
		if r.Error != "" {
			t.Fatalf("harness: %s", r.Error)
		}
		reqs = append(reqs, r)
	}
	if !done {
		t.Fatalf("harness did not finish:\n%s", out)
	}
	return reqs
}

// eventNames parses a batch as the collector does and returns its events
// as "type:name" and every event's props as "k=v&k=v".
func eventNames(t *testing.T, body string) (names, props []string) {
	t.Helper()
	var p wire.Parser
	b, err := p.Parse([]byte(body))
	if err != nil {
		t.Fatalf("invalid batch: %v\n%s", err, body)
	}
	if string(b.Site) != "example.com" {
		t.Errorf("site %q", b.Site)
	}
	for _, e := range b.Events {
		names = append(names, e.Kind.String()+":"+string(e.Name))
		var kv []string
		for _, p := range e.Props {
			kv = append(kv, string(p.Key)+"="+string(p.Value))
		}
		props = append(props, strings.Join(kv, "&"))
	}
	return names, props
}

func TestLoaderInNode(t *testing.T) {
	for _, scenario := range []string{"default", "notype"} {
		t.Run(scenario, func(t *testing.T) {
			reqs := runHarness(t, scenario)
			if len(reqs) != 5 {
				t.Fatalf("got %d lines, want 5: %+v", len(reqs), reqs)
			}
			wantFetches := map[string]int{"default": 1, "notype": 2}[scenario] // streaming refused: fetched again
			if s := reqs[0]; s.Warnings != 0 || s.WasmFetches != wantFetches || s.Timer == nil || *s.Timer != 2000 {
				t.Errorf("after load: %d warnings, %d module fetches (want %d), timer %v (want 2000)",
					s.Warnings, s.WasmFetches, wantFetches, s.Timer)
			}
			// The policy is asked for without credentials; an older collector's
			// 404 leaves the tracker as it was, cookieless and storage-free.
			if p := reqs[0].PolicyFetch; p == nil || p.URL != "https://stats.example.com/c?site=example.com" || p.Credentials != "omit" {
				t.Errorf("policy fetch %+v", p)
			}
			if reqs[0].StorageAccesses != 0 {
				t.Errorf("the loader touched device storage %d times without T3", reqs[0].StorageAccesses)
			}

			// The timed flush: gzip, fetch keepalive, no credentials, text/plain.
			post := reqs[1]
			if post.Via != "fetch" || !post.Gzip || post.Type != "text/plain" || post.Method != "POST" ||
				!post.Keepalive || post.Credentials != "omit" || post.Mode != "cors" || post.URL != "https://stats.example.com/e" {
				t.Errorf("timed flush sent as %+v", post)
			}
			names, props := eventNames(t, post.Body)
			if got := strings.Join(names, ","); got != "pageview:,custom:early,custom:signup" {
				t.Errorf("timed batch holds %s", got)
			}
			if props[1] != "from=stub" || props[2] != `plan=pro&seats=3&yearly=true&tags=["a","b"]` {
				t.Errorf("props: %q", props)
			}

			// The burst of 20 was being compressed when the page was hidden:
			// it goes raw by beacon, then the rest of the queue.
			burst, last := reqs[2], reqs[3]
			if burst.Via != "beacon" || last.Via != "beacon" || burst.Type != "text/plain" {
				t.Fatalf("on hide: %s then %s, want two beacons", burst.Via, last.Via)
			}
			if names, _ := eventNames(t, burst.Body); len(names) != 20 {
				t.Errorf("burst batch has %d events", len(names))
			}
			if names, _ := eventNames(t, last.Body); strings.Join(names, ",") != "custom:last" {
				t.Errorf("last batch holds %s", names)
			}
			if s := reqs[4]; s.Timer == nil || *s.Timer != -1 {
				t.Errorf("a timer is still armed after hide")
			}
		})
	}
}

func TestLoaderWithoutSite(t *testing.T) {
	reqs := runHarness(t, "nosite")
	if len(reqs) != 1 || reqs[0].Warnings != 1 || reqs[0].WasmFetches != 0 {
		t.Errorf("without data-site: %+v; want one warning and nothing fetched", reqs)
	}
}

// TestLoaderConsent: a consent-basis site whose authoritative source is a
// TCF CMP that grants publisher purposes 1 and 8. The module decides T3, the
// loader keeps the id it is given, the batch carries it; a withdrawal
// removes it and nothing more is sent (T0).
func TestLoaderConsent(t *testing.T) {
	p := consent.Policy{Basis: consent.BasisConsent, Authority: consent.SourceTCF, WaitMillis: 500, ValidityDays: 390}
	fr := consent.Region{Country: "FR"}
	prof, _ := p.ProfileFor(fr) // line 3: the profile the edge resolves
	body := consent.AppendRegion(append(consent.AppendPolicy(nil, &p), '\n'), fr)
	body = consent.AppendProfileLetter(append(body, '\n'), prof)
	reqs := runHarness(t, "consent", string(body))
	if len(reqs) != 4 {
		t.Fatalf("got %d lines, want 4: %+v", len(reqs), reqs)
	}
	id := reqs[1].Stored["crumbless_id"]
	if len(id) < 34 || id[32] != '.' {
		t.Fatalf("stored %q after T3, want ID.EXPIRY", reqs[1].Stored)
	}
	post := reqs[2]
	var parser wire.Parser
	b, err := parser.Parse([]byte(post.Body))
	if err != nil {
		t.Fatal(err)
	}
	if string(b.Tier) != "T3" || string(b.UID) != id[:32] || string(b.Policy) != string(p.AppendHash(nil)) {
		t.Errorf("batch tier %s uid %s policy %s", b.Tier, b.UID, b.Policy)
	}
	names, _ := eventNames(t, post.Body)
	if got := strings.Join(names, ","); got != "pageview:,custom:early,consent:,custom:linked" {
		t.Errorf("events %s", got)
	}
	if e := b.Events[2]; string(e.Method) != "tcf" || string(e.Evidence) != "CP-TC-STRING" {
		t.Errorf("consent event method %q evidence %q", e.Method, e.Evidence)
	}
	if end := reqs[3]; len(end.Stored) != 0 || end.Posts != 1 || end.StorageAccesses != 3 {
		t.Errorf("after withdrawal: stored %v, %d posts, %d storage accesses (want a read, a write, a removal)",
			end.Stored, end.Posts, end.StorageAccesses)
	}
}
