package ingest

import (
	"bytes"
	"context"
	"strings"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/heatmap"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/sdk/wire"
)

// The mouse add-on (sdk/js/mouse.js, package mouse) sends its summaries as
// custom events with reserved names, through the tracker's queue, so that
// consent, batching and retries apply to them unchanged. The edge turns
// them into rows of their own (mouse/events.go documents the props):
//
//   - $heatmap: raw heatmap rows (collector/heatmap), one per layer, and
//     per element for the target and hover layers, written to
//     Config.Heatmaps instead of the events' sink; an event whose cells
//     or selectors collector/heatmap refuses is dropped and counted
//     (crumbless_events_dropped_total{reason="bad_heatmap"});
//   - $rage_click, $dead_click, $quick_back, $error_click,
//     $excessive_scroll: rows of type frustration, with name (rage_click,
//     ...), selector, count and page instead of props;
//   - $bot: a row of type bot with bot_score and bot_reasons; under a
//     site's bots: flag, every row of the batch carries them.
//
// Other names starting with $ are ordinary custom events.

// mouseCounters count the mouse add-on's events the edge dropped.
type mouseCounters struct {
	badHeatmap, noHeatmapSink *metrics.Counter
}

func (c *mouseCounters) register(set *metrics.Set) {
	c.badHeatmap = set.NewCounter(`crumbless_events_dropped_total{reason="bad_heatmap"}`)
	c.noHeatmapSink = set.NewCounter(`crumbless_events_dropped_total{reason="no_heatmap_sink"}`)
}

var frustrations = [...]struct{ event, name string }{
	{"$rage_click", "rage_click"},
	{"$dead_click", "dead_click"},
	{"$quick_back", "quick_back"},
	{"$error_click", "error_click"},
	{"$excessive_scroll", "excessive_scroll"},
}

// What the edge adds to the page's bot score under bots: flag (batchBot).
const (
	listedBotScore     = 100 // a known bot (the User-Agent list), reason ua; a browser driven by automation (navigator.webdriver), reason webdriver
	datacenterBotScore = 50  // at least, from a hosting or cloud network, reason datacenter
)

// markMouse sets the marks of the mouse add-on's events in w.marks (which
// h.marks filled) and, under bots: flag, rc.Bot; it returns how many
// events are heatmap events, which have no event row.
func (h *Handler) markMouse(w *work, b *wire.Batch, flag, listed bool, rc *row.Context) int {
	heat := 0
	var bot row.Bot
	for i := range b.Events {
		e := &b.Events[i]
		if e.Kind != wire.KindCustom || len(e.Name) < 2 || e.Name[0] != '$' || i >= len(w.marks) {
			continue
		}
		m := &w.marks[i].Mouse
		switch {
		case string(e.Name) == "$heatmap":
			m.Type = row.TypeHeatmap
			heat++
		case string(e.Name) == "$bot":
			m.Type, m.Bot = row.TypeBot, readBot(e)
			bot = m.Bot
		default:
			markFrustration(m, e)
		}
	}
	if flag {
		rc.Bot = batchBot(w, bot, listed, rc)
	}
	return heat
}

// markFrustration marks e when it is a frustration signal.
func markFrustration(m *row.Mouse, e *wire.Event) {
	for _, f := range frustrations {
		if string(e.Name) != f.event {
			continue
		}
		m.Type, m.Name = row.TypeFrustration, f.name
		if sel := prop(e, "selector"); heatmap.ValidSelector(sel) {
			m.Selector = sel
		}
		m.Count = decimal(prop(e, "count"), heatmap.MaxCount)
		m.Page = wire.Truncate(prop(e, "page"), wire.MaxPathLen)
		return
	}
}

// readBot reads a $bot event: score 0 to 100, reasons made of lower-case
// letters and commas (an invalid score is no score).
func readBot(e *wire.Event) row.Bot {
	score := prop(e, "score")
	v := decimal(score, 100)
	if v < 0 || len(score) == 0 {
		return row.Bot{}
	}
	reasons := prop(e, "reasons")
	for _, c := range reasons {
		if (c < 'a' || c > 'z') && c != ',' {
			reasons = nil
			break
		}
	}
	return row.Bot{Set: true, Score: v, Reasons: reasons}
}

// batchBot combines the page's behavioural score with the edge's signals:
// a known bot (the User-Agent list, reason ua) and a browser that reported
// automation (navigator.webdriver, reason webdriver) score 100, a batch
// from a hosting or cloud network (reason datacenter) at least 50.
func batchBot(w *work, page row.Bot, listed bool, rc *row.Context) row.Bot {
	if !listed && !rc.Automated && !rc.Datacenter {
		return page
	}
	w.botReasons = append(w.botReasons[:0], page.Reasons...)
	score := page.Score
	add := func(on bool, reason string, least int64) {
		if !on {
			return
		}
		if len(w.botReasons) > 0 {
			w.botReasons = append(w.botReasons, ',')
		}
		w.botReasons = append(w.botReasons, reason...)
		score = max(score, least)
	}
	add(listed, "ua", listedBotScore)
	add(rc.Automated, "webdriver", listedBotScore)
	add(rc.Datacenter, "datacenter", datacenterBotScore)
	return row.Bot{Set: true, Score: score, Reasons: w.botReasons}
}

// prop returns the value of e's prop key, nil when there is none.
func prop(e *wire.Event, key string) []byte {
	for _, p := range e.Props {
		if string(p.Key) == key {
			return p.Value
		}
	}
	return nil
}

// decimal parses a decimal number of at most max; -1 when b is not one,
// 0 when b is empty.
func decimal(b []byte, max int64) int64 {
	v := int64(0)
	for _, c := range b {
		if c < '0' || c > '9' || v > max {
			return -1
		}
		v = v*10 + int64(c-'0')
	}
	if v > max {
		return -1
	}
	return v
}

// storeHeatmaps writes the heatmap rows of b's heatmap events to
// Config.Heatmaps, in one record.
func (h *Handler) storeHeatmaps(ctx context.Context, w *work, b *wire.Batch, rc *row.Context) error {
	if h.cfg.Heatmaps == nil {
		for i := range b.Events {
			if rc.Marks[i].Mouse.Type == row.TypeHeatmap {
				h.mouse.noHeatmapSink.Inc()
			}
		}
		return nil
	}
	w.heat, w.heatRows = w.heat[:0], 0
	for i := range b.Events {
		if i < len(rc.Marks) && rc.Marks[i].Mouse.Type == row.TypeHeatmap {
			h.heatmapRows(w, &b.Events[i], rc)
		}
	}
	if w.heatRows == 0 {
		return nil
	}
	w.heatRec = sink.Record{Kind: sink.KindHeatmap, Site: b.Site, ReceivedAt: w.batch.ReceivedAt, Rows: w.heat, Events: w.heatRows}
	return h.cfg.Heatmaps.Append(ctx, &w.heatRec)
}

// The token letters of a $heatmap event's cells (mouse.Heatmap.Append), by
// layer: the grid layers, then the per-element ones, whose tokens name the
// element by an id that the event's s<id> prop resolves.
type layerLetter struct {
	letter byte
	layer  []byte
}

var (
	gridLetters    = [...]layerLetter{{'c', []byte("click")}, {'m', []byte("move")}, {'r', []byte("scroll")}}
	elementLetters = [...]layerLetter{{'e', []byte("target")}, {'n', []byte("hover")}}
	comma          = []byte{','}
)

// heatmapRows appends e's rows to w.heat: one per grid layer with cells,
// and one per element layer and element. The rows are checked whole first:
// an event with a bad one is dropped and counted.
func (h *Handler) heatmapRows(w *work, e *wire.Event, rc *row.Context) {
	start, rows := len(w.heat), w.heatRows
	vp, cells := prop(e, "vp"), prop(e, "cells")
	part := 0
	ok := true
	for _, g := range gridLetters {
		ok = ok && h.heatmapRow(w, e, rc, &part, vp, g.layer, nil, layerCells(w, cells, g.letter, nil))
	}
	for _, p := range e.Props {
		if len(p.Key) < 2 || p.Key[0] != 's' || decimal(p.Key[1:], 1<<16) <= 0 {
			continue
		}
		for _, l := range elementLetters {
			ok = ok && h.heatmapRow(w, e, rc, &part, vp, l.layer, p.Value, layerCells(w, cells, l.letter, p.Key[1:]))
		}
	}
	if !ok || !knownTokens(cells) {
		w.heat, w.heatRows = w.heat[:start], rows
		h.mouse.badHeatmap.Inc()
	}
}

// heatmapRow checks and appends one row, unless its cells are empty.
func (h *Handler) heatmapRow(w *work, e *wire.Event, rc *row.Context, part *int, vp, layer, sel, cells []byte) bool {
	if len(cells) == 0 {
		return true
	}
	w.hev = heatmap.Event{Path: e.Path, Viewport: vp, Layer: layer, Selector: sel, Cells: cells}
	if _, err := w.hev.Validate(); err != nil {
		return false
	}
	*part++
	r := row.Heatmap{Part: *part, Viewport: vp, Layer: layer, Selector: sel, Cells: cells}
	w.heat = append(row.AppendHeatmapRow(w.heat, e, rc, &r), '\n')
	w.heatRows++
	return true
}

// layerCells collects into w.cells the cells of the tokens that start
// with letter (and, for an element layer, the element id el and a dot),
// without that prefix: the layer's cells text.
func layerCells(w *work, cells []byte, letter byte, el []byte) []byte {
	w.cells = w.cells[:0]
	for rest := cells; len(rest) > 0; {
		var tok []byte
		tok, rest, _ = bytes.Cut(rest, comma)
		if len(tok) < 2 || tok[0] != letter {
			continue
		}
		tok = tok[1:]
		if el != nil {
			if !bytes.HasPrefix(tok, el) || len(tok) == len(el) || tok[len(el)] != '.' {
				continue
			}
			tok = tok[len(el)+1:]
		}
		if len(w.cells) > 0 {
			w.cells = append(w.cells, ',')
		}
		w.cells = append(w.cells, tok...)
	}
	return w.cells
}

// knownTokens reports whether every token of cells is of a known layer,
// or the count of samples dropped (x:N).
func knownTokens(cells []byte) bool {
	for rest := cells; len(rest) > 0; {
		var tok []byte
		tok, rest, _ = bytes.Cut(rest, comma)
		if len(tok) == 0 || strings.IndexByte("cmrenx", tok[0]) < 0 {
			return false
		}
	}
	return true
}
