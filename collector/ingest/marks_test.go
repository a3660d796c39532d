package ingest

import (
	"bytes"
	"encoding/json"
	"net"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

// edgeBatch is a batch with a campaign pageview, an internal pageview, a
// custom event and a download, from an automated browser.
func edgeBatch(tier, flags string) []byte {
	ts := receive.UnixMilli() - 1000
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: receive.UnixMilli() - 50,
		Tier: []byte(tier), Flags: []byte(flags), Automated: true}
	b.Events = []wire.Event{
		{ID: []byte("a"), Kind: wire.KindPageview, TS: ts, Path: []byte("/pricing?utm_source=google"),
			Referrer: []byte("https://www.google.com/"), UTMSource: []byte("google"), UTMMedium: []byte("cpc"),
			Click: []byte("gclid"), ClickID: []byte("Cj0KCQ")},
		{ID: []byte("b"), Kind: wire.KindPageview, TS: ts, Path: []byte("/docs/a"), Referrer: []byte("https://example.com/pricing")},
		{ID: []byte("c"), Kind: wire.KindCustom, TS: ts, Path: []byte("/docs/a"), Name: []byte("signup")},
		{ID: []byte("d"), Kind: wire.KindDownload, TS: ts, Path: []byte("/docs/a"), URL: []byte("https://cdn.example/x.pdf?t=1")},
	}
	return wire.AppendBatch(nil, &b)
}

func withGoals(t *testing.T, e *env) {
	t.Helper()
	s, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	var err error
	s.Goals, err = site.NewGoals([]site.Goal{
		{Name: "pricing", Path: "/pricing", Stage: "consideration"},
		{Name: "signup", Event: "signup", Stage: "conversion"},
		{Name: "brochure", Event: "download"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rowsOf decodes the rows of the sink's only batch.
func rowsOf(t *testing.T, e *env) []map[string]any {
	t.Helper()
	if len(e.sink.batches) != 1 {
		t.Fatalf("sink got %d batches", len(e.sink.batches))
	}
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimSuffix(e.sink.batches[0].Rows, []byte("\n")), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		rows = append(rows, m)
	}
	return rows
}

func TestRowsCarryChannelGoalsAndAutomated(t *testing.T) {
	e := newEnv(t, withRegions)
	withGoals(t, e)
	ctx := newRequestCtx(edgeBatch("T2", "m"))
	ctx.Request.Header.Set("CF-IPCountry", "US")
	e.h.Handle(ctx)
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d", ctx.Response.StatusCode())
	}
	rows := rowsOf(t, e)
	want := []map[string]any{
		{"channel": "paid_search", "source": "google", "goal": "pricing", "stage": "consideration", "click_id": "Cj0KCQ"},
		{"channel": "internal", "source": nil, "goal": nil, "stage": nil},
		{"channel": nil, "goal": "signup", "stage": "conversion"},
		{"channel": nil, "goal": "brochure", "stage": nil, "url": "https://cdn.example/x.pdf"},
	}
	for i, w := range want {
		for k, v := range w {
			if rows[i][k] != v {
				t.Errorf("row %d %s = %v, want %v", i, k, rows[i][k], v)
			}
		}
		if rows[i]["automated"] != true {
			t.Errorf("row %d is not marked automated", i)
		}
	}
}

func TestClickIDNeedsMarketing(t *testing.T) {
	for _, tt := range []struct {
		name, tier, flags, country string
		keep                       bool
	}{
		{"marketing claimed, opt-out region", "T2", "m", "US", true},
		{"no marketing claimed", "T2", "", "US", false},
		{"marketing claimed, opt-in region without consent", "T2", "m", "FR", false},
		{"marketing claimed at T1", "T1", "m", "US", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withRegions)
			ctx := newRequestCtx(edgeBatch(tt.tier, tt.flags))
			ctx.Request.Header.Set("CF-IPCountry", tt.country)
			e.h.Handle(ctx)
			rows := rowsOf(t, e)
			if _, got := rows[0]["click_id"]; got != tt.keep {
				t.Errorf("click_id kept = %v, want %v (row %v)", got, tt.keep, rows[0])
			}
			if rows[0]["click"] != "gclid" {
				t.Errorf("click = %v, want gclid at every tier", rows[0]["click"])
			}
		})
	}
}

func TestExcludedNetworks(t *testing.T) {
	e := newEnv(t, nil)
	s, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	var err error
	if s.Exclude, err = site.NewNetworks([]string{"203.0.113.0/24", "2001:db8::/32"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ip       net.IP
		excluded bool
	}{
		{testIP, true},
		{net.ParseIP("2001:db8::7"), true},
		{net.ParseIP("198.51.100.1"), false},
		{net.ParseIP("2001:db9::1"), false},
	} {
		e.sink.batches = nil
		var req fasthttp.Request
		req.Header.SetMethod("POST")
		req.SetRequestURI("/e")
		req.Header.Set("Origin", testOrigin)
		req.SetBody(batchJSON("example.com", 2))
		ctx := &fasthttp.RequestCtx{}
		ctx.Init(&req, &net.TCPAddr{IP: tt.ip, Port: 40000}, nil)
		e.h.Handle(ctx)
		status, reason := ctx.Response.StatusCode(), string(ctx.Response.Header.Peek(ReasonHeader))
		switch {
		case tt.excluded && (status != fasthttp.StatusNoContent || reason != ReasonExcluded || len(e.sink.batches) != 0 || len(ctx.Response.Body()) != 0):
			t.Errorf("%v: status %d, reason %q, %d batches written, body %q", tt.ip, status, reason, len(e.sink.batches), ctx.Response.Body())
		case !tt.excluded && (status != fasthttp.StatusAccepted || len(e.sink.batches) != 1):
			t.Errorf("%v: status %d, %d batches written", tt.ip, status, len(e.sink.batches))
		}
	}
	if got := e.counter(`crumbless_batches_rejected_total{reason="excluded"}`); got != "2" {
		t.Errorf("excluded counter = %q, want 2", got)
	}
}

// TestChannelReusedOnlyForTheSameInflow: the last classification is reused
// for a pageview with the same referrer and campaign, never for another.
func TestChannelReusedOnlyForTheSameInflow(t *testing.T) {
	e := newEnv(t, withRegions)
	ts := receive.UnixMilli() - 1000
	paid := wire.Event{Kind: wire.KindPageview, TS: ts, Path: []byte("/"), Referrer: []byte("https://www.google.com/"),
		UTMSource: []byte("google"), UTMMedium: []byte("cpc")}
	organic := wire.Event{Kind: wire.KindPageview, TS: ts, Path: []byte("/"), Referrer: []byte("https://www.google.com/")}
	internal := wire.Event{Kind: wire.KindPageview, TS: ts, Path: []byte("/b"), Referrer: []byte("https://example.com/")}
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: receive.UnixMilli() - 50, Tier: []byte("T2")}
	want := []string{"paid_search", "paid_search", "internal", "organic_search", "paid_search", "organic_search"}
	for i, ev := range []wire.Event{paid, paid, internal, organic, paid, organic} {
		ev.ID = []byte{'p', byte('0' + i)}
		b.Events = append(b.Events, ev)
	}
	ctx := newRequestCtx(wire.AppendBatch(nil, &b))
	ctx.Request.Header.Set("CF-IPCountry", "US")
	e.h.Handle(ctx)
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d", ctx.Response.StatusCode())
	}
	for i, row := range rowsOf(t, e) {
		if row["channel"] != want[i] {
			t.Errorf("row %d channel %v, want %s", i, row["channel"], want[i])
		}
	}
}
