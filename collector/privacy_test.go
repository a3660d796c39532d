package collector

import (
	"bytes"
	"strings"
	"testing"
)

// TestNoAddressOrUserAgentAnywhere sends accepted and refused batches from
// a distinctive address (forwarded by a trusted proxy) and User-Agent, then
// scans every file the collector wrote (the spool's segments included), its
// logs and its metrics: neither appears anywhere.
func TestNoAddressOrUserAgentAnywhere(t *testing.T) {
	const ip, ua = "198.51.100.77", "Mozilla/5.0 (X11; Linux x86_64) ProbeBrowser/9.9.9"
	cfg, logs := testConfig(t)
	cfg.TrustedProxies = []string{"127.0.0.0/8", "::1"}
	ts := start(t, cfg)
	for i, body := range [][]byte{batchBodyFrom(t, "example.com", 0, 3), []byte("not json"), batchBodyFrom(t, "other.example", 9, 1)} {
		resp := send(t, ts.url, "POST", body, "X-Forwarded-For", ip, "User-Agent", ua)
		if want := []int{202, 400, 403}[i]; resp.StatusCode != want {
			t.Fatalf("batch %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	_, metrics := get(t, "GET", ts.url+"/metrics")
	shutdown(t, ts.Server)
	files := readDataDir(t, cfg.DataDir)
	files = append(files, spoolFiles(t, cfg.DataDir)...)
	if len(files) == 0 {
		t.Fatal("no files")
	}
	needles := []string{ip, "198.51.100", ua, "ProbeBrowser"}
	for _, f := range files {
		for _, n := range needles {
			if bytes.Contains(f.plain, []byte(n)) {
				t.Errorf("%s holds %q", f.path, n)
			}
		}
	}
	for _, n := range needles {
		if strings.Contains(logs.String(), n) {
			t.Errorf("the logs hold %q", n)
		}
		if bytes.Contains(metrics, []byte(n)) {
			t.Errorf("the metrics hold %q", n)
		}
	}
	if !strings.Contains(logs.String(), "batch rejected") {
		t.Errorf("the refusals were not logged, so the logs were not really checked:\n%s", logs)
	}
}
