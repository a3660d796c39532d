package ingest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk/wire"
)

// mouseBatchJSON is a batch of a pageview and the mouse add-on's events,
// as mouse.js sends them through the tracker.
func mouseBatchJSON(cells string) []byte {
	at := receive.UnixMilli() - 1000
	custom := func(id, name string, props ...string) wire.Event {
		e := wire.Event{ID: []byte(id), Kind: wire.KindCustom, TS: at, Path: []byte("/pricing"), Name: []byte(name)}
		for i := 0; i+1 < len(props); i += 2 {
			e.Props = append(e.Props, wire.Prop{Key: []byte(props[i]), Value: []byte(props[i+1])})
		}
		return e
	}
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: receive.UnixMilli() - 50, Events: []wire.Event{
		{ID: []byte("pv"), Kind: wire.KindPageview, TS: at, Path: []byte("/pricing"), Viewport: []byte("lg")},
		custom("hm", "$heatmap", "vp", "lg", "cells", cells, "s1", "#buy", "s2", "main>p:nth-of-type(2)"),
		custom("rc", "$rage_click", "selector", "#buy", "count", "4"),
		custom("qb", "$quick_back", "page", "/pricing/old"),
		custom("bt", "$bot", "score", "85", "reasons", "speed,straight"),
		custom("ot", "$other", "plan", "pro"),
	}}
	return wire.AppendBatch(nil, &b)
}

const goodCells = "c12.40:3,m12.40:7,e1.3.7:2,n1.3.7:9,n2.0.0:1,m13.40:1,r0:1,r1:1,x:4"

func flagSites(c *Config) {
	c.Sites, _ = site.NewRegistry([]site.Site{{ID: "example.com", Origins: []string{testOrigin}, FlagBots: true}}, false)
}

func TestMouseEvents(t *testing.T) {
	heat := &memSink{}
	e := newEnv(t, func(c *Config) { c.Heatmaps = heat; flagSites(c) })
	if ctx := e.do("POST", mouseBatchJSON(goodCells), testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	events := decodeRows(t, e.sink)
	if got := rowSummary(events, "type", "name", "selector", "count", "page"); got != "pageview;frustration,rage_click,#buy,4;frustration,quick_back,/pricing/old;bot;custom,$other" {
		t.Errorf("event rows: %s", got)
	}
	for _, r := range events {
		if r["bot_score"] != 85.0 || r["bot_reasons"] != "speed,straight" {
			t.Errorf("%s row: bot_score %v, bot_reasons %v", r["type"], r["bot_score"], r["bot_reasons"])
		}
	}
	if len(heat.batches) != 1 || heat.batches[0].Kind.String() != "heatmaps" {
		t.Fatalf("heatmap records: %+v", heat.batches)
	}
	rows := decodeRows(t, heat)
	want := "hm-1,heatmap,click,<nil>,12.40:3;hm-2,heatmap,move,<nil>,12.40:7,13.40:1;hm-3,heatmap,scroll,<nil>,0:1,1:1;" +
		"hm-4,heatmap,target,#buy,3.7:2;hm-5,heatmap,hover,#buy,3.7:9;hm-6,heatmap,hover,main>p:nth-of-type(2),0.0:1"
	if got := rowSummary(rows, "event_id", "type", "layer", "selector", "cells"); got != want {
		t.Errorf("heatmap rows:\n got %s\nwant %s", got, want)
	}
	if rows[0]["viewport"] != "lg" || rows[0]["path"] != "/pricing" || rows[0]["visitor_id"] == nil {
		t.Errorf("heatmap row: %v", rows[0])
	}
}

func TestMouseBadHeatmapIsDropped(t *testing.T) {
	for _, cells := range []string{"c50.0:1", "q1:1", "c1.1:0", "c1.1:1,c1.1:2"} {
		heat := &memSink{}
		e := newEnv(t, func(c *Config) { c.Heatmaps = heat })
		if ctx := e.do("POST", mouseBatchJSON(cells), testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
			t.Fatalf("%s: status %d", cells, ctx.Response.StatusCode())
		}
		if len(heat.batches) != 0 || e.counter(`crumbless_events_dropped_total{reason="bad_heatmap"}`) != "1" {
			t.Errorf("%s: %d heatmap records, counter %s", cells, len(heat.batches), e.counter(`crumbless_events_dropped_total{reason="bad_heatmap"}`))
		}
		if rows := decodeRows(t, e.sink); len(rows) != 5 || rows[0]["bot_score"] != nil {
			t.Errorf("%s: %d event rows (bots: keep writes no score on other rows: %v)", cells, len(rows), rows[0]["bot_score"])
		}
	}
}

func TestMouseKnownBotFlagged(t *testing.T) {
	e := newEnv(t, flagSites)
	var req fasthttp.Request
	req.Header.SetMethod("POST")
	req.SetRequestURI("/e")
	req.Header.Set("Origin", testOrigin)
	req.Header.SetUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
	req.SetBody(batchJSON("example.com", 1))
	ctx := &fasthttp.RequestCtx{}
	ctx.Init(&req, nil, nil)
	e.h.Handle(ctx)
	rows := decodeRows(t, e.sink)
	if len(rows) != 1 || rows[0]["bot_score"] != 100.0 || rows[0]["bot_reasons"] != "ua" {
		t.Errorf("rows: %v", rows)
	}
}

// TestMouseAutomationFlagged: under bots: flag, a page that reported
// navigator.webdriver adds its reason to the page's score and raises it
// to 100; the bot row keeps the page's own.
func TestMouseAutomationFlagged(t *testing.T) {
	e := newEnv(t, flagSites)
	b := mouseBatchJSON(goodCells)
	b = append(b[:len(b)-1], `,"automated":1}`...)
	if ctx := e.do("POST", b, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	for _, r := range decodeRows(t, e.sink) {
		score, reasons := r["bot_score"], r["bot_reasons"]
		if r["type"] == "bot" && (score != 85.0 || reasons != "speed,straight") ||
			r["type"] != "bot" && (score != 100.0 || reasons != "speed,straight,webdriver") {
			t.Errorf("%s row: bot_score %v, bot_reasons %v", r["type"], score, reasons)
		}
	}
}

func decodeRows(t *testing.T, s *memSink) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, b := range s.batches {
		for line := range strings.Lines(string(b.Rows)) {
			var r map[string]any
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("row is not JSON: %v: %s", err, line)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// rowSummary lists keys of each row, "," between fields (absent ones
// left out, but <nil> for the fourth on), ";" between rows.
func rowSummary(rows []map[string]any, keys ...string) string {
	var out []string
	for _, r := range rows {
		var f []string
		for i, k := range keys {
			if v, ok := r[k]; ok || i >= 3 && k == "selector" {
				f = append(f, fmt.Sprint(v))
			}
		}
		out = append(out, strings.Join(f, ","))
	}
	return strings.Join(out, ";")
}
