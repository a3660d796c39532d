package faults

import (
	"context"
	"testing"
	"time"

	"github.com/crumbless/crumbless/internal/rig"
)

// TestDeliveryUnderFaults runs 20 scripted sessions (reloads, tab closes,
// back/forward-cache navigations, offline periods, 503s, dropped
// connections, lost answers) and requires ≥ 99 % of the produced events in
// the files and no event_id twice. bench/faults.sh runs 200. A missing
// browser fails the test; it never skips.
func TestDeliveryUnderFaults(t *testing.T) {
	path, err := rig.Chromium()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), Config{Sessions: 20, Parallel: 10, Seed: 7, Chromium: path, Timeout: 4 * time.Minute, Logf: t.Logf})
	if r == nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.Markdown())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.SessionErrors {
		t.Errorf("session error: %s", e)
	}
	if r.Produced < 100 {
		t.Errorf("only %d events produced: the scripts did not run", r.Produced)
	}
	if r.Percent() < 99 {
		for _, m := range r.Missing {
			t.Log("missing:", m)
		}
		t.Errorf("%.2f %% of the produced events are in the files, want ≥ 99 %%", r.Percent())
	}
	if r.DuplicateIDs != 0 {
		t.Errorf("%d event_ids appear twice in the files", r.DuplicateIDs)
	}
	if r.BFSteps > 0 && r.Restores == 0 {
		t.Errorf("no back/forward navigation was restored from the cache (%d tried): the pages are not BFCache-friendly", r.BFSteps)
	}
	if r.Attempts[mode503] == 0 || r.Attempts[modeDrop] == 0 || r.Attempts[modeAckLoss] == 0 {
		t.Errorf("a fault never hit a request: %v", r.Attempts)
	}
}
