package row

import (
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
)

// timeLayout is RFC 3339 with milliseconds; a UTC time ends in "Z".
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// AppendTime appends ms (milliseconds since the Unix epoch) as RFC 3339 UTC
// with milliseconds, e.g. 2026-11-23T18:20:01.123Z. It writes the digits
// itself (twice per row, it is a tenth of the row's cost through
// time.Time.AppendFormat) and falls back to AppendFormat for years outside
// 0000-9999.
func AppendTime(dst []byte, ms int64) []byte {
	t := time.UnixMilli(ms).UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(dst, timeLayout)
	}
	hour, minute, sec := t.Clock()
	dst = appendInt(dst, year, 4)
	dst = appendInt(append(dst, '-'), int(month), 2)
	dst = appendInt(append(dst, '-'), day, 2)
	dst = appendInt(append(dst, 'T'), hour, 2)
	dst = appendInt(append(dst, ':'), minute, 2)
	dst = appendInt(append(dst, ':'), sec, 2)
	dst = appendInt(append(dst, '.'), t.Nanosecond()/1e6, 3)
	return append(dst, 'Z')
}

// clock remembers the text of the last second it formatted: the rows of a
// batch have their times within a few seconds, and received_at is the same
// on every row, so each second is formatted once per batch.
type clock struct {
	sec  int64
	ok   bool
	text [24]byte // 2026-11-23T18:20:01.000Z
}

// appendTime appends ms as AppendTime does.
func (k *clock) appendTime(dst []byte, ms int64) []byte {
	sec := ms / 1000
	if ms < 0 && ms%1000 != 0 {
		sec--
	}
	if !k.ok || k.sec != sec {
		if len(AppendTime(k.text[:0], sec*1000)) != len(k.text) { // a year outside 0000-9999
			k.ok = false
			return AppendTime(dst, ms)
		}
		k.sec, k.ok = sec, true
	}
	dst = append(dst, k.text[:20]...)
	return append(appendInt(dst, int(ms-sec*1000), 3), 'Z')
}

// appendInt appends n, 0 <= n < 10^width, zero-padded to width digits.
func appendInt(dst []byte, n, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, buf[:width]...)
}

// EventTime returns when an event happened on the collector's clock. The
// sender's clock may be wrong, but the time between the event (eventTS)
// and the batch being sent (sentAt) is measured on that same clock, so
// the event happened that long before the batch was received:
//
//	receivedAt - (sentAt - eventTS)
//
// The result is clamped to [receivedAt - wire.MaxClockSkewMillis,
// receivedAt]: never in the future, never older than the skew limit. When
// sentAt is unknown (0), eventTS is taken as is, within the same bounds.
func EventTime(eventTS, sentAt, receivedAt int64) int64 {
	t := eventTS
	if sentAt > 0 {
		t = receivedAt - (sentAt - eventTS)
	}
	return min(max(t, receivedAt-wire.MaxClockSkewMillis), receivedAt)
}
