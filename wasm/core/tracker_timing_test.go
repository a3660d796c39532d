package core

import "testing"

// BenchmarkFeed measures one feed of a pageview and a custom event with
// props, batches included (Send does nothing).
func BenchmarkFeed(b *testing.B) {
	var tr Tracker
	tr.Send = func([]byte, int) {}
	tr.Feed(append(rec(RecordInit, testSite, testSeed), noPolicy...), t0)
	feed := append(rec(RecordPage, HowLoad, "example.com", "", "1280", "/pricing?plan=pro", "https://search.example/",
		"Pricing — Example", "en-GB", "Europe/London"), custom("signup", "plan", "pro", "seats", "3")...)
	b.ReportAllocs()
	b.SetBytes(int64(len(feed)))
	now := t0
	for b.Loop() {
		now += 10
		tr.Feed(feed, now)
	}
}
