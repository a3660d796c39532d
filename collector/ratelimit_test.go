package collector

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRateLimits: a network over its rate, and a site over its, are
// answered 429 with a Retry-After and the reason; another network goes on.
func TestRateLimits(t *testing.T) {
	rate, site := 1.0, 0.01
	cfg, _ := testConfig(t)
	cfg.TrustedProxies = []string{"127.0.0.0/8", "::1"}
	cfg.Limits.NetworkRate, cfg.Limits.NetworkBurst = &rate, 2
	cfg.Limits.SiteRate, cfg.Limits.SiteBurst = &site, 4
	ts := start(t, cfg)
	send := func(from string, i int) *http.Response {
		return postHeaders(t, ts.url, batchBodyFrom(t, "example.com", i, 1), "X-Forwarded-For", from)
	}
	for i := 0; i < 2; i++ {
		if r := send("203.0.113.1", i); r.StatusCode != http.StatusAccepted {
			t.Fatalf("batch %d within the burst: %d", i, r.StatusCode)
		}
	}
	r := send("203.0.113.77", 2) // the same /24
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "1" || r.Header.Get("X-Crumbless-Reason") != "rate_limited" {
		t.Errorf("over the network's rate: %d, Retry-After %q, reason %q", r.StatusCode, r.Header.Get("Retry-After"), r.Header.Get("X-Crumbless-Reason"))
	}
	for i, from := range []string{"198.51.100.1", "192.0.2.1"} {
		if r := send(from, 10+i); r.StatusCode != http.StatusAccepted {
			t.Errorf("another network was refused: %d", r.StatusCode)
		}
	}
	r = send("100.64.0.1", 20) // the site's fifth batch in no time
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("X-Crumbless-Reason") != "site_rate_limited" || r.Header.Get("Retry-After") == "" {
		t.Errorf("over the site's rate: %d, reason %q", r.StatusCode, r.Header.Get("X-Crumbless-Reason"))
	}
	_, metrics := get(t, "GET", ts.url+"/metrics")
	hasMetric(t, string(metrics), `crumbless_batches_rejected_total{reason="rate_limited"} 1`)
	hasMetric(t, string(metrics), `crumbless_batches_rejected_total{reason="site_rate_limited"} 1`)
}

func TestRateLimitsAreValidated(t *testing.T) {
	cfg, _ := testConfig(t)
	bad := -1.0
	cfg.Limits.NetworkRate, cfg.Limits.SiteBurst = &bad, -3
	err := cfg.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"limits.network_rate: -1 is not a rate", "limits.site_burst: -3 is negative"} {
		if !contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}

// postHeaders posts body from the test origin with the extra headers and
// returns the response.
func postHeaders(t *testing.T, url string, body []byte, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/e", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", testOrigin)
	req.Header.Set("User-Agent", testUA)
	for i := 0; i+1 < len(header); i += 2 {
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

func contains(s, sub string) bool { return strings.Contains(s, sub) }
