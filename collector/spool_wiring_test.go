package collector

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestValidateSpool(t *testing.T) {
	for _, tc := range []struct {
		spool SpoolConfig
		want  string
	}{
		{SpoolConfig{}, ""},
		{SpoolConfig{BudgetBytes: 4 << 20, SegmentBytes: 1 << 20}, ""},
		{SpoolConfig{BudgetBytes: -1}, "spool.budget_bytes: -1 is negative"},
		{SpoolConfig{SegmentBytes: -1}, "spool.segment_bytes: -1 is negative"},
		{SpoolConfig{SegmentBytes: 1000}, "spool.segment_bytes: 1000 is too small; write at least 1048576"},
		{SpoolConfig{BudgetBytes: 100 << 20}, "spool.budget_bytes: 104857600 holds fewer than four segments of 67108864 bytes"},
	} {
		cfg, _ := testConfig(t)
		cfg.Spool = tc.spool
		err := cfg.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.spool, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: %v, want %q", tc.spool, err, tc.want)
		}
	}
}

func TestSpoolDefaultsAndYAML(t *testing.T) {
	cfg, err := parseConfig([]byte("data_dir: /srv/data\nspool:\n  budget_bytes: 8388608\n  segment_bytes: 2097152\n"))
	if err != nil {
		t.Fatal(err)
	}
	eff := cfg.withDefaults().Spool
	if eff.Dir != filepath.Join("/srv/data", "spool") || eff.BudgetBytes != 8<<20 || eff.SegmentBytes != 2<<20 {
		t.Errorf("spool %+v", eff)
	}
	if _, err := parseConfig([]byte("spool:\n  budget: 1\n")); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("unknown spool key: %v", err)
	}
}

// TestSpoolFullIsNotReady blocks the file sink (a regular file where the
// site's directory goes) until the spool's budget is spent: batches get
// 503 spool_full with Retry-After, and /readyz is not ready until the sink
// catches up.
func TestSpoolFullIsNotReady(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.Spool = SpoolConfig{BudgetBytes: 4 << 20, SegmentBytes: 1 << 20}
	cfg.Files.RollInterval = time.Second
	off := 0.0 // the spool, compressed, takes more batches than the rate limits let through
	cfg.Limits.NetworkRate, cfg.Limits.SiteRate = &off, &off
	blocked := filepath.Join(cfg.DataDir, "events", "site=example.com")
	os.MkdirAll(filepath.Dir(blocked), 0o755)
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, cfg)
	var resp *http.Response
	for i := 0; ; i++ {
		resp = post(t, s.url, batchBodyFrom(t, "example.com", i*50, 50), testOrigin)
		if resp.StatusCode != http.StatusAccepted || i > 10000 {
			break
		}
	}
	if resp.StatusCode != 503 || resp.Header.Get("X-Crumbless-Reason") != "spool_full" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a full spool answered %s, %v", resp.Status, resp.Header)
	}
	if resp, body := get(t, "GET", s.url+"/readyz"); resp.StatusCode != 503 || !strings.Contains(string(body), "spool full") {
		t.Errorf("/readyz while full: %d %s", resp.StatusCode, body)
	}
	os.Remove(blocked)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, _ := get(t, "GET", s.url+"/readyz"); resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz stayed 503 after the sink was unblocked")
		}
	}
}
