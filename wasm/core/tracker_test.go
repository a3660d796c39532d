package core

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crumbless/crumbless/sdk/wire"
)

func TestPageview(t *testing.T) {
	h := newHarness(t)
	h.feed(t0+5, rec(RecordPage,
		HowLoad, "example.com", "", "1280",
		"/pricing/?plan=pro", // the loader kept the allowed parameter
		"https://search.example/results",
		"Pricing — Example",
		"en-GB",
		"Europe/London",
	), hide)
	if len(h.sent) != 1 || h.sent[0].mode != SendBeacon {
		t.Fatalf("sent %d batches; want 1 with mode SendBeacon", len(h.sent))
	}
	b := h.sent[0].batch
	if b.site != testSite || b.sentAt != t0+5 {
		t.Errorf("batch site %q sent_at %d", b.site, b.sentAt)
	}
	want := parsedEvent{
		id: testIDPrefix + "0", kind: "pageview", ts: t0 + 5, path: "/pricing/?plan=pro",
		referrer: "https://search.example/results", title: "Pricing — Example",
		viewport: "lg", lang: "en-GB", tz: "Europe/London",
	}
	if got := b.events[0]; !equalEvent(got, want) || len(b.events) != 1 {
		t.Errorf("events = %+v\nwant [%+v]", b.events, want)
	}
}

func equalEvent(a, b parsedEvent) bool {
	if len(a.props) != len(b.props) {
		return false
	}
	for i := range a.props {
		if a.props[i] != b.props[i] {
			return false
		}
	}
	a.props, b.props = nil, nil
	return a.id == b.id && a.kind == b.kind && a.ts == b.ts && a.path == b.path &&
		a.referrer == b.referrer && a.title == b.title && a.viewport == b.viewport &&
		a.lang == b.lang && a.tz == b.tz && a.name == b.name
}

func TestPageviewWithMissingFields(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, rec(RecordPage, HowLoad, "example.com", "", "", "/"), hide)
	e := h.events()[0]
	if e.path != "/" || e.referrer != "" || e.title != "" || e.viewport != "" || e.lang != "" || e.tz != "" {
		t.Errorf("pageview from a bare href = %+v", e)
	}
	if strings.Contains(string(h.sent[0].body), "referrer") {
		t.Errorf("empty fields are on the wire: %s", h.sent[0].body)
	}
}

func TestCustomEventWithProps(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, page("https://example.com/a?x"))
	h.feed(t0+10, custom("signup", "plan", "pro", "seats", "3", "dangling"))
	h.feed(t0+20, page("https://example.com/b"), custom("bare"), hide)
	ev := h.events()
	if len(ev) != 4 {
		t.Fatalf("got %d events, want 4", len(ev))
	}
	want := parsedEvent{
		id: testIDPrefix + "1", kind: "custom", ts: t0 + 10, path: "/a", name: "signup",
		props: [][2]string{{"plan", "pro"}, {"seats", "3"}},
	}
	if !equalEvent(ev[1], want) {
		t.Errorf("custom event = %+v\nwant %+v", ev[1], want)
	}
	if ev[3].path != "/b" || ev[3].name != "bare" || len(ev[3].props) != 0 {
		t.Errorf("custom event after SPA navigation = %+v", ev[3])
	}
	if body := string(h.sent[0].body); strings.Count(body, `"props"`) != 1 {
		t.Errorf("an event without props has a props object: %s", body)
	}
}

func TestCustomEventBeforeAnyPage(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, custom("early"), hide)
	if e := h.events(); len(e) != 1 || e[0].path != "" || e[0].name != "early" {
		t.Errorf("events = %+v", e)
	}
}

func TestEventIDsAreUniqueAndStable(t *testing.T) {
	h := newHarness(t)
	const n = 1000
	for i := 0; i < n; i++ {
		h.feed(t0+int64(i), custom("e"))
	}
	h.feed(t0+n, hide)
	seen := map[string]bool{}
	for _, e := range h.events() {
		if seen[e.id] {
			t.Fatalf("duplicate id %s", e.id)
		}
		seen[e.id] = true
		if !strings.HasPrefix(e.id, testIDPrefix) || len(e.id) > wire.MaxIDLen {
			t.Fatalf("id %q does not start with the seed's hex", e.id)
		}
	}
	if len(seen) != n {
		t.Fatalf("%d ids for %d events", len(seen), n)
	}
	if last := testIDPrefix + strconv.FormatInt(n-1, 16); !seen[last] {
		t.Errorf("no id %s: ids are not prefix + hex sequence", last)
	}

	// Another page load (another seed) starts the sequence again under another prefix.
	var other Tracker
	var ids []string
	other.Send = func(b []byte, _ int) {
		var p wire.Parser
		b, _ = BatchJSON(b, t0)
		pb, _ := p.Parse(b)
		ids = append(ids, string(pb.Events[0].ID))
	}
	other.Feed(append(rec(RecordInit, testSite, "ABCDEFGHIJKLMNOP"), noPolicy...), t0)
	other.Feed(append(custom("e"), hide...), t0)
	if len(ids) != 1 || ids[0] != "4142434445464748494a4b4c0" || seen[ids[0]] {
		t.Errorf("ids from another seed = %q", ids)
	}
}

func TestFlushByCount(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < MaxQueueEvents-1; i++ {
		h.feed(t0, custom("e"))
	}
	if len(h.sent) != 0 {
		t.Fatalf("sent before the queue held %d events", MaxQueueEvents)
	}
	if d := h.feed(t0, custom("e")); d != -1 {
		t.Errorf("next tick after a full flush = %d, want -1", d)
	}
	if len(h.sent) != 1 || len(h.sent[0].batch.events) != MaxQueueEvents || h.sent[0].mode != SendNormal {
		t.Fatalf("want one normal batch of %d events, got %d batches", MaxQueueEvents, len(h.sent))
	}
}

func TestFlushByBytes(t *testing.T) {
	h := newHarness(t)
	value := long("v", wire.MaxPropValueLen)
	const n = 50
	for i := 0; i < n; i++ { // each event is about 1.4 KB
		h.feed(t0, custom("big", "a", value, "b", value, "c", value, "d", value, "e", value))
	}
	h.feed(t0, hide)
	if got := len(h.events()); got != n {
		t.Fatalf("%d events arrived, want %d", got, n)
	}
	for i, s := range h.sent[:len(h.sent)-1] {
		events := len(s.body) - len(`{"v":1,"site":"example.com","sent_at":1732380000000,"events":[]}`)
		if s.mode != SendNormal || events > MaxQueueBytes || events < MaxQueueBytes-1500 {
			t.Errorf("batch %d: mode %d, %d bytes of events; want a normal batch just under %d bytes",
				i, s.mode, events, MaxQueueBytes)
		}
	}
}

func TestOversizedEventIsSentAlone(t *testing.T) {
	h := newHarness(t)
	kv := []string{}
	for i := 0; i < wire.MaxProps; i++ {
		kv = append(kv, long("k", 60)+strconv.Itoa(i), long("v", wire.MaxPropValueLen)) // 30 × 330 bytes
	}
	h.feed(t0, custom("small"))
	h.feed(t0, custom("huge", kv...))
	if len(h.sent) != 2 || len(h.sent[0].batch.events) != 1 || h.sent[1].batch.events[0].name != "huge" {
		t.Fatalf("want the queued event, then the oversized one alone; got %d batches", len(h.sent))
	}
	if d := h.feed(t0, custom("next"), hide); d != -1 || len(h.sent) != 3 || len(h.sent[2].batch.events) != 1 {
		t.Errorf("queue not reset after an oversized event")
	}
}

func TestFlushByTime(t *testing.T) {
	h := newHarness(t)
	if d := h.feed(t0, page("https://example.com/")); d != FlushDelayMillis {
		t.Errorf("delay after the first event = %d, want %d", d, FlushDelayMillis)
	}
	if d := h.feed(t0+500, custom("e")); d != FlushDelayMillis-500 {
		t.Errorf("delay after a second event = %d, want %d (counted from the first)", d, FlushDelayMillis-500)
	}
	if d := h.feed(t0+FlushDelayMillis-1, nil); d != 1 || len(h.sent) != 0 {
		t.Errorf("tick before the delay: next %d, %d batches sent", d, len(h.sent))
	}
	if d := h.feed(t0+FlushDelayMillis, nil); d != -1 || len(h.sent) != 1 || h.sent[0].mode != SendNormal {
		t.Fatalf("tick at the delay: next %d, %d batches sent", d, len(h.sent))
	}
	if n := len(h.sent[0].batch.events); n != 2 {
		t.Errorf("timed batch has %d events, want 2", n)
	}
	if d := h.feed(t0+FlushDelayMillis+1, nil); d != -1 || len(h.sent) != 1 {
		t.Errorf("tick with an empty queue: next %d, %d batches", d, len(h.sent))
	}
	// Every later batch waits LaterFlushDelayMillis after its first event.
	later := int64(t0 + 5000)
	if d := h.feed(later, custom("later")); d != LaterFlushDelayMillis {
		t.Errorf("delay after the first event of a later batch = %d, want %d", d, LaterFlushDelayMillis)
	}
	if d := h.feed(later+LaterFlushDelayMillis-1, nil); d != 1 || len(h.sent) != 1 {
		t.Errorf("tick before the later delay: next %d, %d batches sent", d, len(h.sent))
	}
	if d := h.feed(later+LaterFlushDelayMillis, nil); d != -1 || len(h.sent) != 2 || h.sent[1].mode != SendNormal {
		t.Errorf("tick at the later delay: next %d, %d batches sent", d, len(h.sent))
	}
}

func TestClockGoingBack(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, custom("e"))
	if d := h.feed(t0-60_000, nil); d != FlushDelayMillis {
		t.Errorf("delay after the clock went back a minute = %d, want %d", d, FlushDelayMillis)
	}
	if h.feed(t0-60_000+FlushDelayMillis, nil); len(h.sent) != 1 {
		t.Errorf("queue not flushed %d ms after the clock went back", FlushDelayMillis)
	}
	var tr Tracker
	var batch []byte
	tr.Send = func(b []byte, _ int) { batch, _ = BatchJSON(b, -5) }
	tr.Feed(append(rec(RecordInit, testSite, testSeed), append(noPolicy, append(custom("e"), hide...)...)...), -5)
	var p wire.Parser
	if _, err := p.Parse(batch); err != nil {
		t.Errorf("batch at a negative time: %v", err)
	}
}

func TestFlushOnHide(t *testing.T) {
	h := newHarness(t)
	if h.feed(t0, hide); len(h.sent) != 0 {
		t.Errorf("hide with an empty queue sent a batch")
	}
	h.feed(t0, page("https://example.com/"), custom("e"))
	if d := h.feed(t0+1, hide); d != -1 || len(h.sent) != 1 || h.sent[0].mode != SendBeacon {
		t.Fatalf("hide: next %d, %d batches", d, len(h.sent))
	}
	if h.sent[0].batch.sentAt != t0+1 || len(h.sent[0].batch.events) != 2 {
		t.Errorf("hide batch = %+v", h.sent[0].batch)
	}
	// The page may come back: events after a hide are queued as before,
	// as a later batch.
	h.feed(t0+2, custom("back"))
	if h.feed(t0+2+LaterFlushDelayMillis-1, nil); len(h.sent) != 1 {
		t.Errorf("after hide, before the later delay: %d batches", len(h.sent))
	}
	h.feed(t0+2+LaterFlushDelayMillis, nil)
	if len(h.sent) != 2 || h.sent[1].mode != SendNormal {
		t.Errorf("after hide: %d batches", len(h.sent))
	}
}

func TestTruncation(t *testing.T) {
	h := newHarness(t)
	h.feed(t0, rec(RecordPage, HowLoad, "example.com", "", "800",
		"/"+long("p", 3000),
		"https://r.example/"+long("r", 3000),
		long("é", 400), // 800 bytes; cut at a rune boundary
		long("l", 100),
		long("z", 100),
	))
	kv := []string{}
	for i := 0; i < wire.MaxProps+5; i++ {
		kv = append(kv, long("k", 100)+strconv.Itoa(i), long("ü", 200))
	}
	h.feed(t0, custom(long("n", 100), kv...), hide)
	ev := h.events()
	pv, ce := ev[0], ev[1]
	checks := []struct {
		name string
		got  string
		max  int
	}{
		{"path", pv.path, wire.MaxPathLen},
		{"referrer", pv.referrer, wire.MaxReferrerLen},
		{"title", pv.title, wire.MaxTitleLen},
		{"lang", pv.lang, wire.MaxShortLen},
		{"tz", pv.tz, wire.MaxShortLen},
		{"name", ce.name, wire.MaxNameLen},
		{"custom path", ce.path, wire.MaxPathLen},
		{"prop key", ce.props[0][0], wire.MaxPropKeyLen},
		{"prop value", ce.props[0][1], wire.MaxPropValueLen},
	}
	for _, c := range checks {
		if len(c.got) > c.max || len(c.got) < c.max-1 || !utf8.ValidString(c.got) {
			t.Errorf("%s: %d bytes (valid UTF-8 %v), want %d (or one less at a rune boundary)",
				c.name, len(c.got), utf8.ValidString(c.got), c.max)
		}
	}
	if pv.viewport != "md" {
		t.Errorf("viewport = %q", pv.viewport)
	}
	if len(ce.props) != wire.MaxProps {
		t.Errorf("%d props, want %d", len(ce.props), wire.MaxProps)
	}
}

func TestSkipsUnknownAndMalformedRecords(t *testing.T) {
	var tr Tracker
	var got []string
	tr.Send = func(b []byte, _ int) {
		var p wire.Parser
		b, err := BatchJSON(b, t0)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := p.Parse(b)
		if err != nil {
			t.Fatalf("invalid batch: %v", err)
		}
		for _, e := range pb.Events {
			got = append(got, e.Kind.String()+":"+string(e.Name))
		}
	}
	feed := func(recs ...[]byte) {
		var b []byte
		for _, r := range recs {
			b = append(b, r...)
		}
		tr.Feed(b, t0)
	}
	feed(custom("before-init"), page("https://example.com/"), hide)
	feed(rec(RecordInit, "", testSeed))      // no site
	feed(rec(RecordInit, testSite, "short")) // seed too short
	feed(rec(RecordInit, "\xff", testSeed))  // site not printable ASCII
	feed(custom("still-before-init"), hide)
	if len(got) != 0 {
		t.Fatalf("events before a valid init were sent: %q", got)
	}
	feed(rec(RecordInit, testSite, testSeed), rec(RecordInit, "other.example", testSeed), noPolicy)
	feed(
		rec(99, "unknown", "fields", long("x", 70000)),
		rec(0),
		custom("one"),
		custom(""),      // no name: dropped
		rec(RecordPage), // no path: dropped
		rec(200),
		custom("two"),
		[]byte{RecordEvent, 1, 200, 0, 'x'}, // field runs past the end: the rest is lost
		custom("lost"),
	)
	feed(hide)
	if strings.Join(got, ",") != "custom:one,custom:two" {
		t.Errorf("sent %q, want custom:one,custom:two", got)
	}
	for _, b := range [][]byte{{RecordHide}, {RecordEvent, 2, 1, 0, 'a', 1}} {
		tr.Feed(b, t0) // must not panic
	}
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	var tr Tracker
	tr.Send = func([]byte, int) {}
	tr.Feed(append(rec(RecordInit, testSite, testSeed), noPolicy...), t0)
	feed := append(page("https://example.com/a/b?c"), custom("signup", "plan", "pro")...)
	now := t0
	tr.Feed(feed, now) // warm the buffers
	allocs := testing.AllocsPerRun(1000, func() {
		now += 100
		tr.Feed(feed, now)
	})
	if allocs != 0 {
		t.Errorf("Feed allocates %.1f times per call", allocs)
	}
}
