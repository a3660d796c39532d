package row

import (
	"strconv"

	"github.com/crumbless/crumbless/sdk/wire"
)

// The row types of the mouse add-on's events (collector/ingest turns its
// reserved custom events into them).
const (
	TypeHeatmap     = "heatmap"     // a $heatmap event: heatmap rows, in their own partitions
	TypeFrustration = "frustration" // $rage_click, $dead_click, $quick_back, $error_click, $excessive_scroll
	TypeBot         = "bot"         // $bot: the page's behavioural bot score
)

// Mouse is what the edge read from one of the mouse add-on's events
// (Mark.Mouse). Type replaces the event's type, and the fields below its
// name and props: a frustration row has name (rage_click, dead_click,
// quick_back, error_click, excessive_scroll), selector, count and page; a
// bot row has bot_score and bot_reasons. A heatmap event has no event row
// (AppendRows skips it): its cells are written by AppendHeatmapRow.
type Mouse struct {
	Type     string
	Name     string
	Selector []byte // the element's stable selector, already checked
	Count    int64  // clicks of a rage click, direction changes of excessive scrolling; 0 none
	Page     []byte // quick back: the path of the page left briefly
	Bot      Bot
}

// Bot is a behavioural bot score (collector/ingest: the page's $bot event,
// or the edge's own for a known bot): Score 0 (human-like) to 100, Reasons
// its reason codes, comma-separated. The zero value (Set false) is none.
type Bot struct {
	Set     bool
	Score   int64
	Reasons []byte
}

// appendMouse appends a mouse event's own fields, in place of name and
// props.
func appendMouse(dst []byte, c *Context, m *Mouse) []byte {
	dst = appendOptionalString(dst, `,"name":`, m.Name)
	dst = appendOptional(dst, `,"selector":`, m.Selector)
	dst = appendNumber(dst, `,"count":`, m.Count)
	if len(m.Page) > 0 {
		dst = appendPath(append(dst, `,"page":`...), m.Page, c)
	}
	return dst
}

// appendBot appends the bot score and its reasons, when set.
func appendBot(dst []byte, b *Bot) []byte {
	if !b.Set {
		return dst
	}
	dst = strconv.AppendInt(append(dst, `,"bot_score":`...), b.Score, 10)
	return appendOptional(dst, `,"bot_reasons":`, b.Reasons)
}

// Heatmap is one raw heatmap row of an event (see SCHEMA.md, "Heatmap
// rows"): its part (the row's event_id is the event's with "-" and the
// part appended, so that each row has its own), and its viewport class,
// layer, selector (target and hover layers) and cells, already checked by
// collector/heatmap.
type Heatmap struct {
	Part                             int
	Viewport, Layer, Selector, Cells []byte
}

// AppendHeatmapRow appends the raw heatmap row h of the event e as one
// JSON object, without a line end: the common fields as in event rows,
// with referrer empty and layer, selector and cells after viewport.
func AppendHeatmapRow(dst []byte, e *wire.Event, c *Context, h *Heatmap) []byte {
	dst = append(dst, `{"event_id":`...)
	start := len(dst)
	dst = append(append(dst, e.ID...), '-')
	dst = escapeTail(strconv.AppendInt(dst, int64(h.Part), 10), start)
	dst = append(dst, `,"type":"heatmap","site":`...)
	dst = wire.AppendString(dst, c.Site)
	dst = append(dst, `,"ts":"`...)
	dst = AppendTime(dst, clampTime(EventTime(e.TS, c.SentAt, c.ReceivedAt), c.Tier))
	dst = append(dst, `","received_at":"`...)
	dst = AppendTime(dst, c.ReceivedAt)
	dst = append(dst, `","path":`...)
	dst = appendPath(dst, e.Path, c)
	dst = append(dst, `,"referrer":""`...)
	dst = appendOptional(dst, `,"viewport":`, h.Viewport)
	dst = appendOptional(dst, `,"layer":`, h.Layer)
	dst = appendOptional(dst, `,"selector":`, h.Selector)
	dst = wire.AppendString(append(dst, `,"cells":`...), h.Cells)
	return appendBatchContext(dst, c, &noBot)
}

var noBot Bot
