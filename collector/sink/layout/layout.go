// Package layout is the layout every output of rows shares, so that the
// files, S3 and the consumers of Kafka agree on where a row goes:
//
//	site=SITE/date=YYYY-MM-DD/hour=HH
//
// by the time the collector received the row (UTC), or without the hour
// for daily partitions. A site id must be SafeSite to be a path element.
//
// It imports nothing of the collector.
package layout

import (
	"time"
)

// SafeSite reports whether site can be a path element: 1 to 253 bytes of
// lower-case letters, digits, dots and dashes, not starting with a dot (so
// neither "." nor ".." nor a hidden name), without "..". Ingest accepts
// only such site ids; writers check again before building a path.
func SafeSite(site []byte) bool {
	if len(site) == 0 || len(site) > 253 || site[0] == '.' {
		return false
	}
	for i, c := range site {
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' && site[i-1] != '.'
		if !ok {
			return false
		}
	}
	return true
}

// HourOf returns the hours since the Unix epoch of t.
func HourOf(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s < 0 && s%3600 != 0 {
		h--
	}
	return h
}

// Path returns site=SITE/date=YYYY-MM-DD/hour=HH for the hour since the
// Unix epoch, or site=SITE/date=YYYY-MM-DD when daily; slash-separated.
func Path(site string, hour int64, daily bool) string {
	t := time.Unix(hour*3600, 0).UTC()
	p := "site=" + site + "/date=" + t.Format("2006-01-02")
	if daily {
		return p
	}
	return p + "/hour=" + t.Format("15")
}
