package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
)

// TestMouseAddonRows: the mouse add-on's events go through the spool to
// their files: heatmap rows to DATA/heatmaps (their own relay and file
// sink), frustration and bot rows to DATA/events; under bots: flag every
// event row carries the batch's bot score.
func TestMouseAddonRows(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.Sites[0].Bots = "flag"
	ts := start(t, cfg)
	now := time.Now().UnixMilli()
	ev := func(id string, kind wire.Kind, name string, props ...string) wire.Event {
		e := wire.Event{ID: []byte(id), Kind: kind, TS: now - 100, Path: []byte("/pricing"), Name: []byte(name)}
		for i := 0; i+1 < len(props); i += 2 {
			e.Props = append(e.Props, wire.Prop{Key: []byte(props[i]), Value: []byte(props[i+1])})
		}
		return e
	}
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: now, Events: []wire.Event{
		ev("pv", wire.KindPageview, ""),
		ev("hm", wire.KindCustom, "$heatmap", "vp", "md", "cells", "c1.2:3,e1.0.9:1,r0:1", "s1", "#buy"),
		ev("rc", wire.KindCustom, "$rage_click", "selector", "#buy", "count", "3"),
		ev("bt", wire.KindCustom, "$bot", "score", "80", "reasons", "straight"),
	}}
	if r := send(t, ts.url, "POST", wire.AppendBatch(nil, &b)); r.StatusCode != 202 {
		t.Fatalf("status %d", r.StatusCode)
	}
	shutdown(t, ts.Server)
	heatFile := regexp.MustCompile(`^heatmaps/site=example\.com/date=\d{4}-\d{2}-\d{2}/hour=\d{2}/part-[^/]+\.ndjson\.zst$`)
	var events, heat []string
	for _, f := range readDataDir(t, cfg.DataDir) {
		sc := bufio.NewScanner(bytes.NewReader(f.plain))
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
			switch {
			case strings.HasPrefix(f.path, "events/"):
				events = append(events, strings.Join([]string{str(r["type"]), str(r["name"]), str(r["bot_score"])}, " "))
			case heatFile.MatchString(f.path):
				heat = append(heat, strings.Join([]string{str(r["event_id"]), str(r["layer"]), str(r["selector"]), str(r["cells"]), str(r["viewport"])}, " "))
			default:
				t.Errorf("unexpected file %s", f.path)
			}
		}
	}
	if got := strings.Join(events, "|"); got != "pageview  80|frustration rage_click 80|bot  80" {
		t.Errorf("event rows: %s", got)
	}
	if got := strings.Join(heat, "|"); got != "hm-1 click  1.2:3 md|hm-2 scroll  0:1 md|hm-3 target #buy 0.9:1 md" {
		t.Errorf("heatmap rows: %s", got)
	}
}

func str(v any) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}
