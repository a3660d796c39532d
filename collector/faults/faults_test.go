package faults

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKill9UnderLoad kills the collector with SIGKILL while batches pour in,
// restarts it on the same data directory, waits for the spool to drain, and
// finds every acknowledged event in the files exactly once.
func TestKill9UnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector under load")
	}
	data := t.TempDir()
	config := writeConfig(t, "")
	c := start(t, data, config)
	l := newLoad("kill.test")
	l.run(c.URL, 8)
	// Long enough for files to complete (roll interval 1s) while others
	// stay open, so that the kill cuts across both.
	waitFor(t, "acknowledged events", 30*time.Second, func() bool { return l.ackedCount() >= 20*200 })
	time.Sleep(1500 * time.Millisecond)
	c.kill()
	l.end()
	if n := l.ackedCount(); n == 0 {
		t.Fatal("nothing acknowledged before the kill")
	}
	c = start(t, data, config)
	c.waitDrained()
	if !strings.Contains(c.logs(), "replaying spooled records") {
		t.Errorf("the restart replayed nothing:\n%s", c.logs())
	}
	c.stop()
	l.check(t, data)
}

// TestSIGTERMUnderLoad stops the collector with SIGTERM while batches pour
// in: it stops accepting, drains the spool into the files and exits 0, with
// every acknowledged event in the files exactly once.
func TestSIGTERMUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector under load")
	}
	data := t.TempDir()
	c := start(t, data, writeConfig(t, ""))
	l := newLoad("term.test")
	l.run(c.URL, 8)
	waitFor(t, "acknowledged events", 30*time.Second, func() bool { return l.ackedCount() >= 20*200 })
	c.stop()
	l.end()
	if !strings.Contains(c.logs(), "msg=stopped") {
		t.Errorf("no clean stop:\n%s", c.logs())
	}
	if tmp, _ := filepath.Glob(filepath.Join(data, "events", "*", "*", "*", ".part-*")); len(tmp) != 0 {
		t.Errorf("temporary files after SIGTERM: %v", tmp)
	}
	l.check(t, data)
}

// TestSpoolBudgetSpent blocks the file sink (a regular file where the
// site's directory goes), so the spool fills its small budget: batches get
// 503 spool_full with Retry-After and /readyz is not ready. Once the block
// is removed, the spool drains, ingest resumes, and no acknowledged event
// is lost.
func TestSpoolBudgetSpent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector under load")
	}
	data := t.TempDir()
	blocked := filepath.Join(data, "events", "site=full.test")
	if err := os.MkdirAll(filepath.Dir(blocked), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c := start(t, data, writeConfig(t, "spool:\n  budget_bytes: 4194304\n  segment_bytes: 1048576\n"))
	l := newLoad("full.test")
	n := 0
	for ; l.post(c.URL, "fill"+strconv.Itoa(n)); n++ {
		if n > 100000 {
			t.Fatal("the spool never filled")
		}
	}
	if l.header["reason"] != "spool_full" || l.header["Retry-After"] == "" {
		t.Fatalf("after %d batches: statuses %v, last 503: %v", n, l.status, l.header)
	}
	if resp, err := http.Get(c.URL + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while full: %v %v", resp.StatusCode, err)
	}
	if c.metric("crumbless_batches_spool_full_total") < 1 {
		t.Error("spool_full not counted")
	}
	if err := os.Remove(blocked); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "ingest to resume", 60*time.Second, func() bool { n++; return l.post(c.URL, "retry"+strconv.Itoa(n)) })
	if resp, err := http.Get(c.URL + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz after draining: %v %v", resp.StatusCode, err)
	}
	c.waitDrained()
	c.stop()
	l.check(t, data)
}
