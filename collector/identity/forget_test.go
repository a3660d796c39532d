package identity

import (
	"testing"
	"time"
)

// TestVisitorIDsMatchTheRows checks VisitorIDs against the ids
// AppendVisitorID writes, today and, after midnight, yesterday.
func TestVisitorIDsMatchTheRows(t *testing.T) {
	now := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	k, err := New(Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	site, ip, ua := []byte("s.example"), []byte("0123456789abcdef"), []byte("UA")
	first := string(k.AppendVisitorID(nil, site, ip, ua))
	today, yesterday := k.VisitorIDs(site, ip, ua)
	if today != first || yesterday != "" {
		t.Errorf("VisitorIDs = %q, %q; want %q and none", today, yesterday, first)
	}
	now = now.Add(24 * time.Hour)
	second := string(k.AppendVisitorID(nil, site, ip, ua))
	today, yesterday = k.VisitorIDs(site, ip, ua)
	if yesterday != first || today != second || today == first {
		t.Errorf("the next day VisitorIDs = %q, %q; want %q and %q", today, yesterday, second, first)
	}
	if other, _ := k.VisitorIDs([]byte("t.example"), ip, ua); other == today {
		t.Error("two sites share a visitor id")
	}
}
