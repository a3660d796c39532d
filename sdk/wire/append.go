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
	appendIntField(&dst, `{"v":`, Version)
	dst = buf.String(dst, `,"site":`)
	dst = AppendString(dst, b.Site)
	appendIntField(&dst, `,"sent_at":`, b.SentAt)
	appendField(&dst, `,"tier":`, b.Tier)
	appendField(&dst, `,"flags":`, b.Flags)
	appendField(&dst, `,"signals":`, b.Signals)
	appendField(&dst, `,"policy":`, b.Policy)
	appendField(&dst, `,"uid":`, b.UID)
	if b.Automated {
		dst = buf.String(dst, `,"automated":1`)
	}
	return buf.String(dst, `,"events":[`)
}

// AppendBatchEnd closes what AppendBatchStart opened.
func AppendBatchEnd(dst []byte) []byte { return buf.String(dst, "]}") }

// AppendEvent appends e as a JSON object. Empty fields are left out.
func AppendEvent(dst []byte, e *Event) []byte {
	dst = buf.String(dst, `{"id":`)
	dst = AppendString(dst, e.ID)
	dst = buf.String(buf.String(dst, `,"type":"`), e.Kind.String())
	appendIntField(&dst, `","ts":`, e.TS)
	appendField(&dst, `,"path":`, e.Path)
	appendField(&dst, `,"referrer":`, e.Referrer)
	appendField(&dst, `,"title":`, e.Title)
	appendField(&dst, `,"viewport":`, e.Viewport)
	appendField(&dst, `,"lang":`, e.Lang)
	appendField(&dst, `,"tz":`, e.TZ)
	appendField(&dst, `,"name":`, e.Name)
	appendField(&dst, `,"method":`, e.Method)
	appendField(&dst, `,"states":`, e.States)
	appendField(&dst, `,"evidence":`, e.Evidence)
	appendNumField(&dst, `,"status":`, e.Status)
	appendField(&dst, `,"utm_source":`, e.UTMSource)
	appendField(&dst, `,"utm_medium":`, e.UTMMedium)
	appendField(&dst, `,"utm_campaign":`, e.UTMCampaign)
	appendField(&dst, `,"utm_term":`, e.UTMTerm)
	appendField(&dst, `,"utm_content":`, e.UTMContent)
	appendField(&dst, `,"click":`, e.Click)
	appendField(&dst, `,"click_id":`, e.ClickID)
	appendField(&dst, `,"content_id":`, e.ContentID)
	appendField(&dst, `,"content_group":`, e.ContentGroup)
	appendField(&dst, `,"content_origin":`, e.ContentOrigin)
	appendField(&dst, `,"url":`, e.URL)
	appendField(&dst, `,"form":`, e.Form)
	appendNumField(&dst, `,"duration":`, e.Duration)
	appendNumField(&dst, `,"engaged":`, e.Engaged)
	appendNumField(&dst, `,"scroll":`, e.Scroll)
	appendNumField(&dst, `,"lcp":`, e.LCP)
	appendNumField(&dst, `,"inp":`, e.INP)
	appendNumField(&dst, `,"cls":`, e.CLS)
	appendNumField(&dst, `,"fcp":`, e.FCP)
	appendNumField(&dst, `,"ttfb":`, e.TTFB)
	appendProps(&dst, `,"props":`, e.Props)
	appendProps(&dst, `,"exp":`, e.Exp)
	return buf.Bytes(dst, '}')
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
		*dst = AppendProps(buf.String(*dst, key), props)
	}
}

// appendNumField appends key and v, unless v is 0.
func appendNumField(dst *[]byte, key string, v int64) {
	if v != 0 {
		appendIntField(dst, key, v)
	}
}

func appendIntField(dst *[]byte, key string, v int64) {
	*dst = AppendInt(buf.String(*dst, key), v)
}

func appendField(dst *[]byte, key string, v []byte) {
	if len(v) != 0 {
		*dst = AppendString(buf.String(*dst, key), v)
	}
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters, U+2028 and U+2029 are escaped, so the output
// is safe on one NDJSON line and inside a <script>.
func AppendString(dst, s []byte) []byte {
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
