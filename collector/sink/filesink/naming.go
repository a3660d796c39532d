package filesink

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	tmpPrefix = ".part-"
	tmpSuffix = ".tmp"
	fileExt   = ".ndjson.zst"
)

// safeSite reports whether site can be a directory name: 1 to 253 bytes of
// lower-case letters, digits, dots and dashes, not starting with a dot
// (so neither "." nor ".." nor a hidden name), without "..".
func safeSite(site []byte) bool {
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

// hourOf returns the hours since the Unix epoch of t.
func hourOf(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s < 0 && s%3600 != 0 {
		h--
	}
	return h
}

// bucketOf returns the hour (since the Unix epoch) that starts t's
// partition: t's hour, or with daily partitions the first hour of its day.
func bucketOf(t time.Time, daily bool) int64 {
	h := hourOf(t)
	if daily {
		h -= (h%24 + 24) % 24
	}
	return h
}

// partitionDir returns root/site=SITE/date=YYYY-MM-DD/hour=HH, or without
// the hour with daily partitions.
func partitionDir(root, site string, hour int64, daily bool) string {
	t := time.Unix(hour*3600, 0).UTC()
	dir := filepath.Join(root, "site="+site, "date="+t.Format("2006-01-02"))
	if daily {
		return dir
	}
	return filepath.Join(dir, "hour="+t.Format("15"))
}

// fileName returns part-<yyyymmddThhmmss>-<node>-<seq>.ndjson.zst.
func fileName(opened time.Time, node string, seq uint64) string {
	return fmt.Sprintf("part-%s-%s-%06d%s", opened.UTC().Format("20060102T150405"), node, seq, fileExt)
}

// positionedName returns final with the range of spool positions before
// its extension: part-…-<seq>-p<lo>-<hi>.ndjson.zst; final itself when lo
// is 0.
func positionedName(final string, lo, hi uint64) string {
	if lo == 0 {
		return final
	}
	return fmt.Sprintf("%s-p%d-%d%s", strings.TrimSuffix(final, fileExt), lo, hi, fileExt)
}

// parsePositions returns the range of spool positions in a complete file's
// name, or ok false.
func parsePositions(name string) (lo, hi uint64, ok bool) {
	stem, found := strings.CutSuffix(name, fileExt)
	i := strings.LastIndex(stem, "-p")
	if !found || !strings.HasPrefix(name, "part-") || i < 0 {
		return 0, 0, false
	}
	los, his, found := strings.Cut(stem[i+2:], "-")
	lo, err1 := strconv.ParseUint(los, 10, 64)
	hi, err2 := strconv.ParseUint(his, 10, 64)
	if !found || err1 != nil || err2 != nil || lo == 0 || hi < lo {
		return 0, 0, false
	}
	return lo, hi, true
}

// tmpName returns the hidden name a file is written under.
func tmpName(final string) string { return "." + final + tmpSuffix }

// isTmpName reports whether a file name is a temporary file of this sink.
func isTmpName(name string) bool {
	return strings.HasPrefix(name, tmpPrefix) && strings.HasSuffix(name, tmpSuffix)
}
