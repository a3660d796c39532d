package wire

import (
	"unicode/utf8"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/internal/buf"
)

// AppendBatch appends b as JSON to dst and returns the extended buffer.
func AppendBatch(dst []byte, b *Batch) []byte {
	dst = AppendBatchHead(dst, b)
	for i := range b.Events {
		if i > 0 {
			dst = buf.Bytes(dst, ',')
		}
		dst = AppendEvent(dst, &b.Events[i])
	}
	return AppendBatchEnd(dst)
}

// AppendBatchStart appends the head of a batch without consent fields, up
// to the opening of the events array. Events follow, separated by commas,
// then AppendBatchEnd.
func AppendBatchStart(dst, site []byte, sentAt int64) []byte {
	return AppendBatchHead(dst, &Batch{Site: site, SentAt: sentAt})
}

// AppendBatchHead appends the head of b (everything but its Events), up to
// the opening of the events array.
func AppendBatchHead(dst []byte, b *Batch) []byte {
	dst = AppendInt(buf.String(dst, `{"v":`), Version)
	appendIntField(&dst, "sent_at", b.SentAt) // first: a sender that retries rewrites it in place (SentAtPrefix)
	dst = AppendString(appendKey(dst, "site"), b.Site)
	appendField(&dst, "tier", b.Tier)
	appendField(&dst, "flags", b.Flags)
	appendField(&dst, "signals", b.Signals)
	appendField(&dst, "policy", b.Policy)
	appendField(&dst, "uid", b.UID)
	if b.Automated {
		dst = buf.String(dst, `,"automated":1`)
	}
	return buf.String(dst, `,"events":[`)
}

// SentAtPrefix is how every batch this package writes begins: sent_at's
// value follows it, up to the next comma. A sender that sends a batch again
// puts the time of the new attempt there, so that the collector corrects the
// events' times with the right clock difference.
const SentAtPrefix = `{"v":1,"sent_at":`

// AppendBatchEnd closes what AppendBatchStart opened.
func AppendBatchEnd(dst []byte) []byte { return buf.String(dst, "]}") }

// AppendEvent appends e as a JSON object. Empty fields are left out.
func AppendEvent(dst []byte, e *Event) []byte {
	dst = buf.String(dst, `{"id":`)
	dst = AppendString(dst, e.ID)
	dst = buf.String(buf.String(dst, `,"type":"`), e.Kind.String())
	dst = AppendInt(buf.String(dst, `","ts":`), e.TS)
	for i, v := range e.Texts() {
		appendField(&dst, TextNames[i], *v)
	}
	for i, v := range e.Numbers() {
		if *v != 0 {
			appendIntField(&dst, NumberNames[i], *v)
		}
	}
	appendProps(&dst, "props", e.Props)
	appendProps(&dst, "exp", e.Exp)
	return buf.Bytes(dst, '}')
}

// Indexes of TextNames, and of NumberNames: the order of Texts and
// Numbers. The tracker keeps an event's fields in arrays in this order.
const (
	TextPath = iota
	TextReferrer
	TextTitle
	TextViewport
	TextLang
	TextTZ
	TextName
	TextMethod
	TextStates
	TextEvidence
	TextUTMSource
	TextUTMMedium
	TextUTMCampaign
	TextUTMTerm
	TextUTMContent
	TextClick
	TextClickID
	TextContentID
	TextContentGroup
	TextContentOrigin
	TextURL
	TextForm
	NumTexts
)

const (
	NumberStatus = iota
	NumberDuration
	NumberEngaged
	NumberScroll
	NumberLCP
	NumberINP
	NumberCLS
	NumberFCP
	NumberTTFB
	NumNumbers
)

// TextNames and NumberNames are the JSON keys of an event's text and
// number fields, in the order of Texts and Numbers.
var (
	TextNames = [NumTexts]string{"path", "referrer", "title", "viewport", "lang", "tz", "name", "method", "states",
		"evidence", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "click", "click_id",
		"content_id", "content_group", "content_origin", "url", "form"}
	NumberNames = [NumNumbers]string{"status", "duration", "engaged", "scroll", "lcp", "inp", "cls", "fcp", "ttfb"}
)

// Texts returns pointers to e's text fields, in the order of TextNames.
func (e *Event) Texts() [len(TextNames)]*[]byte {
	return [...]*[]byte{&e.Path, &e.Referrer, &e.Title, &e.Viewport, &e.Lang, &e.TZ,
		&e.Name, &e.Method, &e.States, &e.Evidence, &e.UTMSource, &e.UTMMedium,
		&e.UTMCampaign, &e.UTMTerm, &e.UTMContent, &e.Click, &e.ClickID,
		&e.ContentID, &e.ContentGroup, &e.ContentOrigin, &e.URL, &e.Form}
}

// Numbers returns pointers to e's number fields, in the order of
// NumberNames.
func (e *Event) Numbers() [len(NumberNames)]*int64 {
	return [...]*int64{&e.Status, &e.Duration, &e.Engaged, &e.Scroll, &e.LCP, &e.INP, &e.CLS, &e.FCP, &e.TTFB}
}

// AppendProps appends props as a JSON object of strings.
func AppendProps(dst []byte, props []Prop) []byte {
	dst = buf.Bytes(dst, '{')
	for i := range props {
		if i > 0 {
			dst = buf.Bytes(dst, ',')
		}
		dst = AppendString(dst, props[i].Key)
		dst = buf.Bytes(dst, ':')
		dst = AppendString(dst, props[i].Value)
	}
	return buf.Bytes(dst, '}')
}

// appendProps appends key and props as a JSON object, unless props is empty.
func appendProps(dst *[]byte, key string, props []Prop) {
	if len(props) > 0 {
		*dst = AppendProps(appendKey(*dst, key), props)
	}
}

// appendIntField appends ,"key": and v.
func appendIntField(dst *[]byte, key string, v int64) {
	*dst = AppendInt(appendKey(*dst, key), v)
}

// appendField appends ,"key": and v as a string, unless v is empty.
func appendField(dst *[]byte, key string, v []byte) {
	if len(v) != 0 {
		*dst = AppendString(appendKey(*dst, key), v)
	}
}

func appendKey(dst []byte, key string) []byte {
	return buf.String(buf.String(buf.String(dst, `,"`), key), `":`)
}

const hexDigits = "0123456789abcdef"

// appendSafeString appends s as a quoted JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters, U+2028 and U+2029 are escaped, so the output
// is safe on one NDJSON line and inside a <script>.
func appendSafeString(dst, s []byte) []byte {
	dst = buf.Bytes(dst, '"')
	start := 0
	var e [6]byte // the escape of s[i:i+size]
	for i := 0; i < len(s); {
		c, size, n := s[i], 1, 2
		e[0] = '\\'
		switch {
		case c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' && c != '<' && c != '>':
			i++
			continue
		case c == '"' || c == '\\':
			e[1] = c
		case c == '\n':
			e[1] = 'n'
		case c == '\r':
			e[1] = 'r'
		case c == '\t':
			e[1] = 't'
		case c < utf8.RuneSelf: // other control characters, < and >
			e, n = [6]byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF]}, 6
		default:
			var r rune
			r, size = utf8.DecodeRune(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				n = copy(e[:], "\uFFFD")
			case r == '\u2028' || r == '\u2029':
				e, n = [6]byte{'\\', 'u', '2', '0', '2', hexDigits[r&0xF]}, 6
			default:
				i += size
				continue
			}
		}
		dst = buf.Bytes(buf.Bytes(dst, s[start:i]...), e[:n]...)
		i += size
		start = i
	}
	return buf.Bytes(buf.Bytes(dst, s[start:]...), '"')
}

// AppendInt appends v in decimal, as strconv.AppendInt(dst, v, 10) does;
// TinyGo makes strconv's several times larger in the tracker module, so
// this is consent's, which the module holds anyway.
func AppendInt(dst []byte, v int64) []byte { return consent.AppendInt(dst, v) }
