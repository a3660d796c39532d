package collector

import (
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
		return send(t, ts.url, "POST", batchBodyFrom(t, "example.com", i, 1), "X-Forwarded-For", from)
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
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}
