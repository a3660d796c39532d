package heatmap

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/crumbless/crumbless/collector/sink/filesink"
)

// Subdirectories of the data directory.
const (
	// RawSubdir holds raw heatmap rows, partitioned by site, date and hour
	// like events.
	RawSubdir = "heatmaps"
	// AggregateSubdir holds the daily aggregates, by site and date.
	AggregateSubdir = "heatmap_aggregates"
)

// DateLayout is how dates are written in partitions and flags.
const DateLayout = "2006-01-02"

// RawSinkConfig returns cfg set up for raw heatmap rows: below
// DATA/heatmaps, hourly partitions. The collector opens a filesink.Sink
// with it and writes the rows of heatmap events there.
func RawSinkConfig(cfg filesink.Config) filesink.Config {
	cfg.Subdir, cfg.Daily = RawSubdir, false
	return cfg
}

// ParseDate parses a YYYY-MM-DD date, as a UTC midnight.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

func checkSite(site string) error {
	if !filesink.SafeSite(site) {
		return fmt.Errorf("site %q is not a site id (lower-case letters, digits, dots, dashes)", site)
	}
	return nil
}

// rawDayDir returns DATA/heatmaps/site=SITE/date=DATE.
func rawDayDir(dir, site string, day time.Time) string {
	return filepath.Join(dir, RawSubdir, "site="+site, "date="+day.Format(DateLayout))
}

// AggregateDayDir returns DATA/heatmap_aggregates/site=SITE/date=DATE. Its
// existence means the day has been aggregated (it is empty when no cell
// reached k).
func AggregateDayDir(dir, site string, day time.Time) string {
	return filepath.Join(dir, AggregateSubdir, "site="+site, "date="+day.Format(DateLayout))
}

// rawFiles returns the complete raw files of a day, sorted.
func rawFiles(dir, site string, day time.Time) ([]string, error) {
	return globSorted(filepath.Join(rawDayDir(dir, site, day), "hour=*", "part-*.ndjson.zst"))
}

// aggregateFiles returns the aggregate files of a day, sorted.
func aggregateFiles(dir, site string, day time.Time) ([]string, error) {
	return globSorted(filepath.Join(AggregateDayDir(dir, site, day), "part-*.ndjson.zst"))
}

func globSorted(pattern string) ([]string, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", pattern, err)
	}
	slices.Sort(files)
	return files, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// sizeOf returns the total size of files.
func sizeOf(files []string) int64 {
	var n int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return n
}
