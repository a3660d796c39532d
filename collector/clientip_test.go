package collector

import (
	"bytes"
	"strings"
	"testing"
)

// TestTrustedProxiesForwardTheClient posts the same page's batch as two
// visitors behind a proxy (X-Forwarded-For). From a trusted proxy they are
// two visitors; from anyone else the header is ignored and they are one
// (the peer). Neither address is written.
func TestTrustedProxiesForwardTheClient(t *testing.T) {
	visitors := func(trusted []string) map[any]bool {
		cfg, _ := testConfig(t)
		cfg.TrustedProxies = trusted
		ts := start(t, cfg)
		for i, ip := range []string{"198.51.100.1", "198.51.100.2"} {
			postWith(t, ts.url, batchBodyFrom(t, "example.com", 10*i, 1), "X-Forwarded-For", "203.0.113.9, "+ip)
		}
		shutdown(t, ts.Server)
		ids := map[any]bool{}
		for _, r := range checkFiles(t, cfg.DataDir, "example.com") {
			ids[r["visitor_id"]] = true
		}
		for _, f := range readDataDir(t, cfg.DataDir) {
			for _, ip := range []string{"198.51.100.1", "198.51.100.2", "203.0.113.9"} {
				if bytes.Contains(f.plain, []byte(ip)) {
					t.Errorf("%s holds %s", f.path, ip)
				}
			}
		}
		return ids
	}
	if ids := visitors([]string{"127.0.0.0/8", "::1"}); len(ids) != 2 {
		t.Errorf("behind a trusted proxy: %d visitor ids, want 2: %v", len(ids), ids)
	}
	if ids := visitors(nil); len(ids) != 1 {
		t.Errorf("from an untrusted peer: %d visitor ids, want 1 (the header ignored): %v", len(ids), ids)
	}
}

func TestTrustedProxiesAreValidated(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.TrustedProxies = []string{"10.0.0.0/8", "loadbalancer"}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), `trusted_proxies[1]: "loadbalancer" is not an IP address or a network`) {
		t.Errorf("Validate() = %v", err)
	}
}
