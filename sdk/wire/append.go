package wire

import (
	"strconv"
	"unicode/utf8"
)

// AppendBatch appends b as JSON to dst and returns the extended buffer.
func AppendBatch(dst []byte, b *Batch) []byte {
	dst = AppendBatchHead(dst, b)
	for i := range b.Events {
		if i > 0 {
			dst = append(dst, ',')
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
	dst = append(dst, `{"v":`...)
	dst = strconv.AppendInt(dst, Version, 10)
	dst = append(dst, `,"site":`...)
	dst = AppendString(dst, b.Site)
	dst = append(dst, `,"sent_at":`...)
	dst = strconv.AppendInt(dst, b.SentAt, 10)
	dst = appendField(dst, `,"tier":`, b.Tier)
	dst = appendField(dst, `,"flags":`, b.Flags)
	dst = appendField(dst, `,"signals":`, b.Signals)
	dst = appendField(dst, `,"policy":`, b.Policy)
	dst = appendField(dst, `,"uid":`, b.UID)
	return append(dst, `,"events":[`...)
}

// AppendBatchEnd closes what AppendBatchStart opened.
func AppendBatchEnd(dst []byte) []byte { return append(dst, "]}"...) }

// AppendEvent appends e as a JSON object. Empty fields are left out.
func AppendEvent(dst []byte, e *Event) []byte {
	dst = append(dst, `{"id":`...)
	dst = AppendString(dst, e.ID)
	dst = append(dst, `,"type":"`...)
	dst = append(dst, e.Kind.String()...)
	dst = append(dst, `","ts":`...)
	dst = strconv.AppendInt(dst, e.TS, 10)
	dst = appendField(dst, `,"path":`, e.Path)
	dst = appendField(dst, `,"referrer":`, e.Referrer)
	dst = appendField(dst, `,"title":`, e.Title)
	dst = appendField(dst, `,"viewport":`, e.Viewport)
	dst = appendField(dst, `,"lang":`, e.Lang)
	dst = appendField(dst, `,"tz":`, e.TZ)
	dst = appendField(dst, `,"name":`, e.Name)
	dst = appendField(dst, `,"method":`, e.Method)
	dst = appendField(dst, `,"states":`, e.States)
	dst = appendField(dst, `,"evidence":`, e.Evidence)
	if len(e.Props) > 0 {
		dst = AppendProps(append(dst, `,"props":`...), e.Props)
	}
	return append(dst, '}')
}

// AppendProps appends props as a JSON object of strings.
func AppendProps(dst []byte, props []Prop) []byte {
	dst = append(dst, '{')
	for i := range props {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, props[i].Key)
		dst = append(dst, ':')
		dst = AppendString(dst, props[i].Value)
	}
	return append(dst, '}')
}

func appendField(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return AppendString(append(dst, key...), v)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string. Invalid UTF-8 becomes
// U+FFFD; control characters, U+2028 and U+2029 are escaped, so the output
// is safe on one NDJSON line and inside a <script>.
func AppendString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendEscape(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
