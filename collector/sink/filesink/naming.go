package filesink

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crumbless/crumbless/collector/sink/layout"
)

const (
	tmpPrefix  = ".part-"
	tmpSuffix  = ".tmp"
	fileExt    = ".ndjson.zst"
	parquetExt = ".parquet"
)

// bucketOf returns the hour (since the Unix epoch) that starts t's
// partition: t's hour, or with daily partitions the first hour of its day.
func bucketOf(t time.Time, daily bool) int64 {
	h := layout.HourOf(t)
	if daily {
		h -= (h%24 + 24) % 24
	}
	return h
}

// partitionDir returns root/site=SITE/date=YYYY-MM-DD/hour=HH, or without
// the hour with daily partitions.
func partitionDir(root, site string, hour int64, daily bool) string {
	return filepath.Join(root, filepath.FromSlash(layout.Path(site, hour, daily)))
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

// parquetName returns the Parquet twin of an NDJSON file name: the same
// name, positions included, with .parquet for .ndjson.zst.
func parquetName(name string) string { return strings.TrimSuffix(name, fileExt) + parquetExt }

// ndjsonName returns the NDJSON twin of a Parquet file name.
func ndjsonName(name string) string { return strings.TrimSuffix(name, parquetExt) + fileExt }

// stemOf returns a complete file's name without its extension, and the
// file's format; ok is false for any other name.
func stemOf(name string) (stem string, f Format, ok bool) {
	if !strings.HasPrefix(name, "part-") {
		return "", "", false
	}
	if stem, ok := strings.CutSuffix(name, fileExt); ok {
		return stem, FormatNDJSON, true
	}
	if stem, ok := strings.CutSuffix(name, parquetExt); ok {
		return stem, FormatParquet, true
	}
	return "", "", false
}

// nodeOf returns the node id in a complete file's name
// (part-<time>-<node>-<seq>…), or "".
func nodeOf(name string) string {
	parts := strings.SplitN(name, "-", 4)
	if _, _, ok := stemOf(name); !ok || len(parts) < 4 {
		return ""
	}
	return parts[2]
}

// parsePositions returns the range of spool positions in a complete file's
// name (NDJSON or Parquet), or ok false.
func parsePositions(name string) (lo, hi uint64, ok bool) {
	stem, _, found := stemOf(name)
	i := strings.LastIndex(stem, "-p")
	if !found || i < 0 {
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
