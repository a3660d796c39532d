package row

import (
	"bytes"
	"strconv"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// AppendRows appends one row per event of b, each ending in '\n', and
// returns the extended buffer; event i gets c.Marks[i]. Consent events have no row: the collector
// writes them as consent records; nor have heatmap events (Mouse.Type
// TypeHeatmap): their rows are AppendHeatmapRow's.
func AppendRows(dst []byte, b *wire.Batch, c *Context) []byte {
	var rp repeats
	for i := range b.Events {
		if b.Events[i].Kind == wire.KindConsent || c.mark(i).Mouse.Type == TypeHeatmap {
			continue // a consent record or heatmap rows, not an event row
		}
		dst = appendRow(dst, &b.Events[i], c, c.mark(i), &rp)
		dst = append(dst, '\n')
	}
	return dst
}

// AppendRow appends e as one JSON object, without a line end, with
// c.Marks[0] when there is one. The field order is fixed (see SCHEMA.md);
// path and referrer are always present, other empty optional fields are
// left out.
func AppendRow(dst []byte, e *wire.Event, c *Context) []byte {
	return appendRow(dst, e, c, c.mark(0), &repeats{})
}

// mark returns the Mark of event i, or an empty one.
func (c *Context) mark(i int) *Mark {
	if i < len(c.Marks) {
		return &c.Marks[i]
	}
	return &noMark
}

var noMark Mark

func appendRow(dst []byte, e *wire.Event, c *Context, m *Mark, rp *repeats) []byte {
	dst = append(dst, `{"event_id":`...)
	dst = wire.AppendString(dst, e.ID)
	dst = append(dst, `,"type":"`...)
	if m.Mouse.Type != "" {
		dst = append(dst, m.Mouse.Type...)
	} else {
		dst = append(dst, e.Kind.String()...)
	}
	dst = append(dst, `","site":`...)
	dst = wire.AppendString(dst, c.Site)
	dst = append(dst, `,"ts":"`...)
	dst = c.clock.appendTime(dst, clampTime(EventTime(e.TS, c.SentAt, c.ReceivedAt), c.Tier))
	dst = append(dst, `","received_at":"`...)
	dst = c.clock.appendTime(dst, c.ReceivedAt)
	dst = append(dst, `","path":`...)
	dst = appendPath(dst, e.Path, c)
	dst = append(dst, `,"referrer":`...)
	var again bool
	if dst, again = rp.referrer.again(dst, e.Referrer); !again {
		at := len(dst)
		dst = appendReferrer(dst, e.Referrer, c.Tier)
		rp.referrer.keep(e.Referrer, at, len(dst))
	}
	dst = appendEventContext(dst, e, c, m, rp)
	dst = appendCampaign(dst, e, c, m)
	dst = appendCapture(dst, e)
	dst = appendGoal(dst, m)
	if m.Mouse.Bot.Set {
		return appendBatchContext(dst, c, &m.Mouse.Bot) // the row's own bot score
	}
	if dst, again = rp.batch.again(dst, nil); !again {
		at := len(dst)
		dst = appendBatchContext(dst, c, &m.Mouse.Bot)
		rp.batch.keep(nil, at, len(dst))
	}
	return dst
}

// repeats remembers where in the rows being built the last rendering of
// a field went, so that the rows of a batch, which mostly share their
// referrer, their title and the batch's own fields, render each of them
// once and copy it after.
type repeats struct {
	referrer, title, batch repeat
}

// repeat is one field's last rendering: dst[at:at+n], from src.
type repeat struct {
	src   []byte
	at, n int
	set   bool
}

// again appends the last rendering when it was of the same src, and
// reports whether it did.
func (r *repeat) again(dst, src []byte) ([]byte, bool) {
	if !r.set || !bytes.Equal(src, r.src) {
		return dst, false
	}
	return append(dst, dst[r.at:r.at+r.n]...), true
}

// keep records that dst[at:end] renders src.
func (r *repeat) keep(src []byte, at, end int) {
	r.src, r.at, r.n, r.set = src, at, end-at, true
}

func appendEventContext(dst []byte, e *wire.Event, c *Context, m *Mark, rp *repeats) []byte {
	var again bool
	if dst, again = rp.title.again(dst, e.Title); !again {
		at := len(dst)
		dst = appendScrubbed(dst, `,"title":`, e.Title)
		rp.title.keep(e.Title, at, len(dst))
	}
	dst = appendOptional(dst, `,"viewport":`, e.Viewport)
	dst = appendOptional(dst, `,"lang":`, clampLang(e.Lang, c.Tier))
	dst = appendOptional(dst, `,"tz":`, e.TZ)
	if m.Mouse.Type != "" {
		return appendMouse(dst, c, &m.Mouse)
	}
	dst = appendOptional(dst, `,"name":`, e.Name)
	if len(e.Props) > 0 {
		dst = appendScrubbedProps(append(dst, `,"props":`...), e.Props)
	}
	return dst
}

// appendBatchContext appends the batch's fields; bot is the row's own bot
// score (a bot row's), else the batch's, if any, is written.
func appendBatchContext(dst []byte, c *Context, bot *Bot) []byte {
	dst = append(dst, `,"tier":"`...)
	dst = append(dst, c.Tier.String()...)
	dst = append(dst, '"')
	dst = appendReasons(dst, c.Reasons)
	if c.Tier.AllowsVisitorKey() {
		dst = appendOptional(dst, `,"visitor_id":`, c.VisitorID)
	}
	if c.Tier >= consent.T3 {
		dst = appendOptional(dst, `,"uid":`, c.UID)
	}
	dst = appendOptionalString(dst, `,"browser":`, c.Browser)
	dst = appendOptionalString(dst, `,"os":`, c.OS)
	dst = appendOptionalString(dst, `,"device":`, c.Device)
	if c.Automated {
		dst = append(dst, `,"automated":true`...)
	}
	if c.Datacenter {
		dst = append(dst, `,"datacenter":true`...)
	}
	if c.Server {
		dst = append(dst, `,"server":true`...)
	}
	if !bot.Set {
		bot = &c.Bot
	}
	dst = appendBot(dst, bot)
	dst = append(dst, `,"schema_version":`...)
	dst = strconv.AppendInt(dst, SchemaVersion, 10)
	return append(dst, '}')
}

// appendReasons writes comma-separated reason names as a JSON array.
func appendReasons(dst, names []byte) []byte {
	if len(names) == 0 {
		return dst
	}
	dst = append(dst, `,"consent_reasons":[`...)
	for i := 0; len(names) > 0; i++ {
		var name []byte
		name, names, _ = bytes.Cut(names, []byte(","))
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = wire.AppendString(dst, name)
	}
	return append(dst, ']')
}

func appendOptional(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return wire.AppendString(append(dst, key...), v)
}

func appendOptionalString(dst []byte, key, v string) []byte {
	if v == "" {
		return dst
	}
	// Class names are short: the conversion stays on the stack.
	return wire.AppendString(append(dst, key...), []byte(v))
}
