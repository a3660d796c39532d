package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/collector/erasure"
)

// forgetReq posts to /forget from the test's origin, with extra headers.
func forgetReq(t *testing.T, url, query, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/forget"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", testOrigin)
	req.Header.Set("User-Agent", testUA)
	req.Header.Set("Content-Type", "text/plain")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// eventRows returns the rows of every events file, by visitor_id.
func eventRows(t *testing.T, dir string) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	for _, f := range readDataDir(t, dir) {
		if !strings.HasPrefix(f.path, "events/") || !strings.HasSuffix(f.path, ".ndjson.zst") {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(f.plain))
		for sc.Scan() {
			var r struct {
				EventID   string `json:"event_id"`
				VisitorID string `json:"visitor_id"`
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
			rows[r.VisitorID] = append(rows[r.VisitorID], r.EventID)
		}
	}
	return rows
}

// TestForgetErasesTheVisitor sends pageviews from two visitors (behind a
// trusted proxy), asks /forget as the first, and checks that once the
// server has applied the request (at the latest when it stops, after
// completing its files) the first visitor's rows are gone and the
// second's all remain.
func TestForgetErasesTheVisitor(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.TrustedProxies = []string{"127.0.0.0/8", "::1"}
	ts := start(t, cfg)
	const me, other = "198.51.100.1", "198.51.100.2"
	postWith(t, ts.url, batchBodyFrom(t, "example.com", 0, 3), "X-Forwarded-For", me)
	postWith(t, ts.url, batchBodyFrom(t, "example.com", 10, 2), "X-Forwarded-For", other)
	resp, body := forgetReq(t, ts.url, "", "site=example.com", "X-Forwarded-For", me)
	if resp.StatusCode != http.StatusAccepted || body != `{"status":"accepted"}` ||
		resp.Header.Get("Access-Control-Allow-Origin") != testOrigin {
		t.Fatalf("POST /forget: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	if n := erasure.Pending(cfg.DataDir); n != 1 {
		t.Errorf("%d erasure requests pending, want 1", n)
	}
	for _, f := range readDataDir(t, cfg.DataDir) {
		if strings.HasPrefix(f.path, "erasures/") && (bytes.Contains(f.plain, []byte(me)) || bytes.Contains(f.plain, []byte("Macintosh"))) {
			t.Errorf("%s holds the visitor's address or User-Agent: %s", f.path, f.plain)
		}
	}
	shutdown(t, ts.Server)
	rows := eventRows(t, cfg.DataDir)
	if len(rows) != 1 {
		t.Fatalf("rows of %d visitors remain, want 1: %v", len(rows), rows)
	}
	for id, events := range rows {
		if id == "" || len(events) != 2 {
			t.Errorf("visitor %q keeps events %v, want the other visitor's 2", id, events)
		}
	}
	recs, err := erasure.ReadRecords(cfg.DataDir)
	if err != nil || len(recs) == 0 || recs[0].Rows != 3 || recs[0].Site != "example.com" {
		t.Errorf("erasure records %+v, %v; want one removing 3 rows", recs, err)
	}
}

// TestForgetChecksSiteAndOrigin refuses what /e would refuse.
func TestForgetChecksSiteAndOrigin(t *testing.T) {
	cfg, _ := testConfig(t)
	ts := start(t, cfg)
	for _, c := range []struct {
		query, body string
		header      []string
		status      int
		reason      string
	}{
		{"", "", nil, 400, "missing_site"},
		{"?site=nope.example", "", nil, 404, "unknown_site"},
		{"", "site=example.com", []string{"Origin", "https://evil.example"}, 403, "origin_not_allowed"},
		{"", "site=example.com", []string{"Origin", ""}, 403, "origin_missing"},
		{"?site=example.com", "", nil, 202, "accepted"},
	} {
		resp, body := forgetReq(t, ts.url, c.query, c.body, c.header...)
		if resp.StatusCode != c.status || resp.Header.Get("X-Crumbless-Reason") != c.reason {
			t.Errorf("%s %q %v: %d %s, want %d %s", c.query, c.body, c.header, resp.StatusCode, body, c.status, c.reason)
		}
	}
	if n := erasure.Pending(cfg.DataDir); n != 1 {
		t.Errorf("%d requests stored, want 1", n)
	}
}
