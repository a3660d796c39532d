package collector

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestAbuse sends malformed and abusive requests to a running collector:
// each gets its documented status and reason (collector/README.md,
// "Refusals"), and the collector stays healthy and keeps accepting
// honest batches. Nothing an abuser sends reaches a file.
func TestAbuse(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef-server-secret"
	one := 1.0
	cfg, _ := testConfig(t)
	cfg.Sites = []SiteConfig{
		{ID: "example.com", Origins: []string{testOrigin}, Secret: secret},
		{ID: "nosecret.example", Origins: []string{"https://nosecret.example"}},
	}
	cfg.Limits.NetworkRate, cfg.Limits.NetworkBurst = &one, 1000 // the flood case spends the burst
	ts := start(t, cfg)

	ev := `{"id":"e1","type":"pageview","ts":1,"path":"/"}`
	batch := func(events string) string {
		return `{"v":1,"site":"example.com","sent_at":1,"events":[` + events + `]}`
	}
	honest := []byte(batch(ev))
	cases := []struct {
		name, method, body string
		header             []string
		status             int
		reason             string
	}{
		{"GET /e", "GET", "", nil, 405, "method_not_allowed"},
		{"PUT /e", "PUT", string(honest), nil, 405, "method_not_allowed"},
		{"empty body", "POST", "", nil, 400, "empty_body"},
		{"body over 64 KiB", "POST", strings.Repeat("x", 70<<10), nil, 413, "body_too_large"},
		{"gzip bomb", "POST", string(gzipBytes(t, make([]byte, 20<<20))), nil, 413, "decoded_too_large"},
		{"zstd bomb", "POST", string(zstdBytes(t, make([]byte, 20<<20))), nil, 413, "decoded_too_large"},
		{"corrupt gzip", "POST", "\x1f\x8b\x08\x00garbage-garbage-garbage", nil, 400, "bad_compression"},
		{"corrupt zstd", "POST", "\x28\xb5\x2f\xfdgarbage-garbage", nil, 400, "bad_compression"},
		{"not JSON", "POST", "hello", nil, 400, "bad_json"},
		{"JSON array", "POST", "[1,2,3]", nil, 400, "bad_json"},
		{"trailing garbage", "POST", batch(ev) + "}", nil, 400, "bad_json"},
		{"deep nesting", "POST", strings.Repeat("[", 60000), nil, 400, "bad_json"},
		{"future version", "POST", strings.Replace(batch(ev), `"v":1`, `"v":9`, 1), nil, 400, "bad_version"},
		{"no site", "POST", `{"v":1,"events":[` + ev + `]}`, nil, 400, "bad_site"},
		{"site too long", "POST", strings.Replace(batch(ev), "example.com", strings.Repeat("a", 300), 1), nil, 400, "bad_site"},
		{"no events", "POST", batch(""), nil, 400, "no_events"},
		{"101 events", "POST", batch(strings.Repeat(ev+",", 100) + ev), nil, 400, "too_many_events"},
		{"event not an object", "POST", batch(`1`), nil, 400, "bad_event"},
		{"unknown type", "POST", batch(`{"id":"e","type":"boom","ts":1}`), nil, 400, "bad_event_type"},
		{"no event id", "POST", batch(`{"type":"pageview","ts":1}`), nil, 400, "bad_event_id"},
		{"event id too long", "POST", batch(`{"id":"` + strings.Repeat("i", 65) + `","type":"pageview","ts":1}`), nil, 400, "bad_event_id"},
		{"no time", "POST", batch(`{"id":"e","type":"pageview"}`), nil, 400, "bad_event"},
		{"custom without name", "POST", batch(`{"id":"e","type":"custom","ts":1}`), nil, 400, "bad_event_name"},
		{"31 props", "POST", batch(`{"id":"e","type":"custom","ts":1,"name":"n","props":{` + props(31, "v") + `}}`), nil, 400, "too_many_props"},
		{"prop not a string", "POST", batch(`{"id":"e","type":"custom","ts":1,"name":"n","props":{"a":{"b":1}}}`), nil, 400, "bad_event"},
		{"signals too long", "POST", strings.Replace(batch(ev), `"sent_at":1`, `"sent_at":1,"signals":"`+strings.Repeat("g", 2000)+`"`, 1), nil, 400, "bad_consent"},
		{"consent without states", "POST", batch(`{"id":"e","type":"consent","ts":1}`), nil, 400, "bad_consent"},
		{"unknown site", "POST", strings.Replace(batch(ev), "example.com", "other.example", 1), nil, 403, "unknown_site"},
		{"spoofed origin", "POST", string(honest), []string{"Origin", "https://evil.example"}, 403, "origin_not_allowed"},
		{"a site's batch from another site's origin", "POST", string(honest), []string{"Origin", "https://nosecret.example"}, 403, "origin_not_allowed"},
		{"no origin", "POST", string(honest), []string{"Origin", ""}, 403, "origin_missing"},
		{"wrong secret", "POST", string(honest), []string{"Authorization", "Bearer wrong-wrong-wrong-wrong-wrong-wrong"}, 401, "bad_secret"},
		{"visitor headers without a secret", "POST", string(honest), []string{"X-Crumbless-Visitor-IP", "198.51.100.1"}, 401, "bad_secret"},
		{"a secret for a site without one", "POST", strings.Replace(batch(ev), "example.com", "nosecret.example", 1),
			[]string{"Origin", "", "Authorization", "Bearer " + secret}, 401, "bad_secret"},
		{"bad visitor address", "POST", string(honest), []string{"Authorization", "Bearer " + secret, "X-Crumbless-Visitor-IP", "not-an-ip"}, 400, "bad_visitor_ip"},
		// Accepted, but cut or cleaned: the documented limits, not refusals.
		{"huge props, cut to 256 bytes", "POST", batch(`{"id":"huge","type":"custom","ts":1,"name":"n","props":{` + props(30, strings.Repeat("v", 40000)[:1800]) + `}}`), nil, 202, ""},
		{"invalid UTF-8, replaced", "POST", batch(`{"id":"utf","type":"pageview","ts":1,"path":"/\xff\xfe"}`), nil, 202, ""},
	}
	for _, c := range cases {
		resp := send(t, ts.url, c.method, []byte(c.body), c.header...)
		if resp.StatusCode != c.status || resp.Header.Get("X-Crumbless-Reason") != c.reason {
			t.Errorf("%s: %d %q, want %d %q", c.name, resp.StatusCode, resp.Header.Get("X-Crumbless-Reason"), c.status, c.reason)
		}
	}
	// A flood from one network: the burst is spent, then 429 with Retry-After.
	limited := 0
	for i := 0; i < 1100 && limited == 0; i++ {
		if r := send(t, ts.url, "POST", []byte("x")); r.StatusCode == http.StatusTooManyRequests {
			limited++
			if r.Header.Get("Retry-After") == "" || r.Header.Get("X-Crumbless-Reason") != "rate_limited" {
				t.Errorf("flood: 429 without Retry-After or reason: %v", r.Header)
			}
		}
	}
	if limited == 0 {
		t.Error("a flood of 1,100 requests was never limited")
	}
	if len(cases) < 30 {
		t.Errorf("only %d cases", len(cases))
	}
	// Still healthy.
	if resp, body := get(t, "GET", ts.url+"/healthz"); resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("healthz after the abuse: %d %s", resp.StatusCode, body)
	}
	shutdown(t, ts.Server)
	rows := checkFiles(t, cfg.DataDir, "example.com")
	if len(rows) != 2 {
		t.Fatalf("rows %v: want the two accepted batches' events", rows)
	}
	for _, r := range rows {
		if p, ok := r["props"].(map[string]any); ok {
			for k, v := range p {
				if len(v.(string)) > 256 {
					t.Errorf("prop %s of %d bytes was written", k, len(v.(string)))
				}
			}
		}
	}
}

// send makes one request from the test's page origin unless header says
// otherwise (an empty Origin value removes it).
func send(t *testing.T, url, method string, body []byte, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url+"/e", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", testOrigin)
	req.Header.Set("User-Agent", testUA)
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
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// props returns n JSON members "k0":"v", "k1":"v", ...
func props(n int, v string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `":"` + v + `"`)
	}
	return b.String()
}

func gzipBytes(t *testing.T, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(src)
	zw.Close()
	return buf.Bytes()
}

func zstdBytes(t *testing.T, src []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(src, nil)
}
