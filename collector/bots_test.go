package collector

import (
	"strings"
	"testing"
)

// TestBots: a known crawler's events are kept as rows with device "bot",
// or, when the site says drop, acknowledged, counted and not written.
func TestBots(t *testing.T) {
	const crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	for _, choice := range []string{"", "drop"} {
		cfg, _ := testConfig(t)
		cfg.Sites[0].Bots = choice
		ts := start(t, cfg)
		if r := send(t, ts.url, "POST", batchBodyFrom(t, "example.com", 0, 2), "User-Agent", crawler); r.StatusCode != 202 {
			t.Fatalf("bots %q: %d", choice, r.StatusCode)
		}
		send(t, ts.url, "POST", batchBodyFrom(t, "example.com", 10, 1)) // a person
		_, metrics := get(t, "GET", ts.url+"/metrics")
		shutdown(t, ts.Server)
		var devices []string
		for _, r := range checkFiles(t, cfg.DataDir, "example.com") {
			devices = append(devices, r["device"].(string))
		}
		switch got := strings.Join(devices, ","); {
		case choice == "" && (len(devices) != 3 || strings.Count(got, "bot") != 2):
			t.Errorf("bots kept: devices %s, want two bot rows and one other", got)
		case choice == "drop" && (len(devices) != 1 || got == "bot"):
			t.Errorf("bots dropped: devices %s, want the person's row only", got)
		}
		if choice == "drop" {
			hasMetric(t, string(metrics), `crumbless_events_dropped_total{reason="bot"} 2`)
		}
	}
	cfg, _ := testConfig(t)
	cfg.Sites[0].Bots = "block"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), `sites[0].bots: "block" is not a choice`) {
		t.Errorf("Validate() = %v", err)
	}
}
