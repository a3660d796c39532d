package layout

import (
	"testing"
	"time"
)

func TestSafeSite(t *testing.T) {
	for site, want := range map[string]bool{
		"example.com": true, "a-b.c-d": true, "x": true,
		"": false, ".": false, "..": false, ".hidden": false, "a..b": false, "a/b": false, "A.com": false, "a_b": false,
	} {
		if got := SafeSite([]byte(site)); got != want {
			t.Errorf("SafeSite(%q) = %v, want %v", site, got, want)
		}
	}
}

func TestPath(t *testing.T) {
	at := time.Date(2026, 11, 23, 18, 20, 1, 0, time.UTC)
	if got := Path("example.com", HourOf(at), false); got != "site=example.com/date=2026-11-23/hour=18" {
		t.Errorf("hourly: %s", got)
	}
	if got := Path("example.com", HourOf(at), true); got != "site=example.com/date=2026-11-23" {
		t.Errorf("daily: %s", got)
	}
	before := time.Date(1969, 12, 31, 23, 30, 0, 0, time.UTC)
	if got := Path("a", HourOf(before), false); got != "site=a/date=1969-12-31/hour=23" {
		t.Errorf("before the epoch: %s", got)
	}
}
