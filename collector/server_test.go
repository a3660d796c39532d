package collector

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/sdk"
	"github.com/crumbless/crumbless/sdk/wire"
)

// batchBody returns a gzip-compressed batch of n pageviews for site.
func batchBody(t *testing.T, site string, n int) []byte {
	t.Helper()
	now := time.Now().UnixMilli()
	b := wire.Batch{Version: wire.Version, Site: []byte(site), SentAt: now}
	for i := range n {
		b.Events = append(b.Events, wire.Event{
			ID: fmt.Appendf(nil, "ev-%d", i), Kind: wire.KindPageview, TS: now - 100,
			Path: fmt.Appendf(nil, "/page/%d", i), Title: []byte("Hello"),
		})
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(wire.AppendBatch(nil, &b))
	zw.Close()
	return buf.Bytes()
}

func post(t *testing.T, url string, body []byte, origin string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/e", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("User-Agent", testUA)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func get(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// TestServerEndToEnd posts a batch to a running collector, shuts it down
// and reads the row back from the files it wrote.
func TestServerEndToEnd(t *testing.T) {
	cfg, logs := testConfig(t)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	url := "http://" + ln.Addr().String()

	resp := post(t, url, batchBody(t, "example.com", 3), testOrigin)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Access-Control-Allow-Origin") != testOrigin {
		t.Fatalf("POST /e: %s, headers %v", resp.Status, resp.Header)
	}
	if resp, body := get(t, "GET", url+"/metrics"); resp.StatusCode != 200 ||
		!strings.Contains(string(body), "crumbless_events_accepted_total 3") ||
		!strings.Contains(string(body), "crumbless_ingest_duration_seconds_count 1") {
		t.Errorf("metrics:\n%s", body)
	}

	if s.Addr().String() != ln.Addr().String() {
		t.Errorf("Addr() = %v, want %v", s.Addr(), ln.Addr())
	}
	shutdown(t, s)
	if err := <-served; err != nil {
		t.Errorf("Serve returned %v", err)
	}
	if !strings.Contains(logs.String(), `msg="listening on `+url+`"`) {
		t.Errorf("no listening line for %s in:\n%s", url, logs)
	}
	rows := checkFiles(t, cfg.DataDir, "example.com")
	if len(rows) != 3 || rows[0]["path"] != "/page/0" || rows[0]["browser"] != "Safari" || rows[0]["device"] != "desktop" {
		t.Errorf("rows read back: %v", rows)
	}
}

// checkFiles reads every file under dir: all complete, partitioned for
// site, without an IP address or the User-Agent anywhere. It returns the
// rows.
func checkFiles(t *testing.T, dir, site string) []map[string]any {
	t.Helper()
	part := regexp.MustCompile(`^events/site=` + regexp.QuoteMeta(site) +
		`/date=\d{4}-\d{2}-\d{2}/hour=\d{2}/part-\d{8}T\d{6}-[0-9a-f]{8}-\d{6}(-p\d+-\d+)?\.ndjson\.zst$`)
	for _, f := range spoolFiles(t, dir) {
		for _, secret := range []string{"127.0.0.1", testUA, "Macintosh", "::1"} {
			if bytes.Contains(f.plain, []byte(secret)) {
				t.Errorf("%s contains %q", f.path, secret)
			}
		}
	}
	var rows []map[string]any
	for _, f := range readDataDir(t, dir) {
		if !part.MatchString(f.path) {
			t.Errorf("unexpected file %s", f.path)
		}
		for _, secret := range []string{"127.0.0.1", testUA, "Macintosh", "::1"} {
			if bytes.Contains(f.plain, []byte(secret)) {
				t.Errorf("%s contains %q", f.path, secret)
			}
		}
		sc := bufio.NewScanner(bytes.NewReader(f.plain))
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func TestServerEndpoints(t *testing.T) {
	cfg, _ := testConfig(t)
	s := start(t, cfg)
	url := s.url
	wasm := fakeAssets()[1]
	tests := []struct {
		name, method, path string
		header             []string
		status             int
		check              func(*http.Response, []byte) error
	}{
		{"healthz", "GET", "/healthz", nil, 200, bodyIs("ok")},
		{"readyz", "GET", "/readyz", nil, 200, bodyIs("ok")},
		{"loader, brotli", "GET", "/crumbless.js", []string{"Accept-Encoding", "br, gzip"}, 200,
			headersAre("Content-Encoding", "br", "Cache-Control", "public, max-age=300", "Vary", "Accept-Encoding", "Access-Control-Allow-Origin", "*")},
		{"module", "GET", "/" + wasm.Name, []string{"Accept-Encoding", "gzip"}, 200,
			headersAre("Content-Type", "application/wasm", "Content-Encoding", "gzip", "Cache-Control", "public, max-age=31536000, immutable")},
		{"module, HEAD", "HEAD", "/" + wasm.Name, []string{"Accept-Encoding", "identity"}, 200,
			headersAre("Content-Length", fmt.Sprint(len(wasm.Body)))},
		{"unknown path", "GET", "/nope", nil, 404, nil},
		{"preflight", "OPTIONS", "/e", []string{"Origin", testOrigin}, 204, headersAre("Access-Control-Allow-Origin", testOrigin)},
		{"GET /e", "GET", "/e", nil, 405, headersAre("X-Crumbless-Reason", "method_not_allowed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.method, url+tt.path, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.check != nil {
				if err := tt.check(resp, body); err != nil {
					t.Error(err)
				}
			}
		})
	}
	t.Run("ETag revalidation", func(t *testing.T) {
		resp, _ := get(t, "GET", url+"/crumbless.js")
		again, _ := get(t, "GET", url+"/crumbless.js", "If-None-Match", resp.Header.Get("ETag"))
		if resp.Header.Get("ETag") == "" || again.StatusCode != http.StatusNotModified {
			t.Errorf("ETag %q, revalidation status %d", resp.Header.Get("ETag"), again.StatusCode)
		}
	})
}

func bodyIs(want string) func(*http.Response, []byte) error {
	return func(_ *http.Response, body []byte) error {
		if string(body) != want {
			return fmt.Errorf("body %q, want %q", body, want)
		}
		return nil
	}
}

func headersAre(kv ...string) func(*http.Response, []byte) error {
	return func(resp *http.Response, _ []byte) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if got := resp.Header.Get(kv[i]); got != kv[i+1] {
				return fmt.Errorf("%s = %q, want %q", kv[i], got, kv[i+1])
			}
		}
		return nil
	}
}

func TestServerRejections(t *testing.T) {
	cfg, _ := testConfig(t)
	s := start(t, cfg)
	tests := []struct {
		name   string
		body   []byte
		origin string
		status int
		reason string
	}{
		{"body over the limit", bytes.Repeat([]byte("x"), 70<<10), testOrigin, 413, "body_too_large"},
		{"unknown site", batchBody(t, "other.org", 1), testOrigin, 403, "unknown_site"},
		{"wrong origin", batchBody(t, "example.com", 1), "https://evil.test", 403, "origin_not_allowed"},
		{"no origin", batchBody(t, "example.com", 1), "", 403, "origin_missing"},
		{"bad JSON", []byte("{"), testOrigin, 400, "bad_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, s.url, tt.body, tt.origin)
			if resp.StatusCode != tt.status || resp.Header.Get("X-Crumbless-Reason") != tt.reason {
				t.Errorf("%s, reason %q; want %d %s", resp.Status, resp.Header.Get("X-Crumbless-Reason"), tt.status, tt.reason)
			}
		})
	}
	_, body := get(t, "GET", s.url+"/metrics")
	if !strings.Contains(string(body), `crumbless_batches_rejected_total{reason="body_too_large"} 1`) {
		t.Errorf("body_too_large not counted:\n%s", body)
	}
}

func TestDemoMode(t *testing.T) {
	cfg, logs := testConfig(t)
	cfg.Demo, cfg.Sites = true, nil
	cfg.PagesDir = t.TempDir()
	if err := os.WriteFile(filepath.Join(cfg.PagesDir, "index.html"), []byte("<h1>demo</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, cfg)
	for i, origin := range []string{"http://localhost:3000", "http://127.0.0.1:8080", ""} { // distinct events: a repeated one is dropped
		if resp := post(t, s.url, batchBodyFrom(t, "my-demo.test", i, 1), origin); resp.StatusCode != 202 {
			t.Errorf("origin %q: %s (%s)", origin, resp.Status, resp.Header.Get("X-Crumbless-Reason"))
		}
	}
	if resp := post(t, s.url, batchBody(t, "my-demo.test", 1), "https://example.com"); resp.StatusCode != 403 {
		t.Errorf("a public origin in demo mode: %s", resp.Status)
	}
	if resp, body := get(t, "GET", s.url+"/"); resp.StatusCode != 200 || string(body) != "<h1>demo</h1>" {
		t.Errorf("GET /: %s %q", resp.Status, body)
	}
	shutdown(t, s.Server)
	if rows := checkFiles(t, cfg.DataDir, "my-demo.test"); len(rows) != 3 {
		t.Errorf("%d rows, want 3; logs:\n%s", len(rows), logs)
	}
}

func TestMissingPagesDirIsAWarning(t *testing.T) {
	cfg, logs := testConfig(t)
	cfg.PagesDir = filepath.Join(t.TempDir(), "nope")
	s := start(t, cfg)
	if resp, _ := get(t, "GET", s.url+"/"); resp.StatusCode != 404 {
		t.Errorf("GET /: %s", resp.Status)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "pages directory not found") {
		t.Errorf("no warning:\n%s", logs)
	}
}

// TestTwoServers runs two collectors in one process: their metrics and
// files stay apart.
func TestTwoServers(t *testing.T) {
	cfgA, _ := testConfig(t)
	cfgB, _ := testConfig(t)
	a, b := start(t, cfgA), start(t, cfgB)
	post(t, a.url, batchBody(t, "example.com", 2), testOrigin)
	post(t, b.url, batchBody(t, "example.com", 5), testOrigin)
	for url, want := range map[string]string{a.url: "2", b.url: "5"} {
		_, body := get(t, "GET", url+"/metrics")
		if !strings.Contains(string(body), "crumbless_events_accepted_total "+want+"\n") {
			t.Errorf("server %s: metrics do not say %s events", url, want)
		}
	}
}

func TestNewFailsWithoutTracker(t *testing.T) {
	saved := builtinAssets
	t.Cleanup(func() { builtinAssets = saved })
	builtinAssets = func() ([]sdk.Asset, error) { return nil, sdk.ErrNotBuilt }
	cfg, _ := testConfig(t)
	cfg.Assets = nil
	_, err := New(cfg)
	if !errors.Is(err, sdk.ErrNotBuilt) || !strings.Contains(err.Error(), sdk.ErrNotBuilt.Error()) {
		t.Errorf("New without a tracker = %v", err)
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	_, err := New(Config{Assets: fakeAssets()})
	var cerr *ConfigError
	if !errors.As(err, &cerr) {
		t.Errorf("New(Config{}) = %v, want a *ConfigError", err)
	}
}

func TestShutdownIsIdempotent(t *testing.T) {
	cfg, _ := testConfig(t)
	s := start(t, cfg)
	shutdown(t, s.Server)
	shutdown(t, s.Server)
	if resp, err := http.Get(s.url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("still serving after Shutdown")
	}
	if err := s.Serve(listen(t)); !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve after Shutdown = %v", err)
	}
}

func TestListenURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://localhost:8080",
		"[::]:8080":      "http://localhost:8080",
		"[::1]:9000":     "http://[::1]:9000",
	} {
		a, err := netResolve(addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := listenURL(a); got != want {
			t.Errorf("listenURL(%s) = %s, want %s", addr, got, want)
		}
	}
}
