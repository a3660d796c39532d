package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

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
}

// runHarness runs the committed loader and module in Node with a fake
// browser around them (testdata/harness.js) and returns what it printed.
func runHarness(t *testing.T, scenario string) []request {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the loader's tests run it (apt-get install nodejs)")
	}
	out, err := exec.Command(node, "testdata/harness.js", distDir, scenario).CombinedOutput()
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
