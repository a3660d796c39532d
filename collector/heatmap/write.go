package heatmap

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/valyala/fastjson"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/sdk/wire"
)

// AggregateSchemaVersion is written in every aggregate row.
const AggregateSchemaVersion = 1

// batchBytes is how many bytes of rows go to the file sink at once.
const batchBytes = 1 << 20

// AppendAggregateRow appends r as one JSON object, without a line end:
//
//	{"site":"example.com","date":"2026-11-23","path":"/","viewport":"lg","layer":"click","selector":"",
//	 "x":3,"y":12,"count":17,"visitors":6,"k":5,"schema_version":1}
func AppendAggregateRow(dst []byte, site string, day time.Time, k int, r *Aggregate) []byte {
	dst = append(dst, `{"site":`...)
	dst = wire.AppendString(dst, []byte(site))
	dst = append(dst, `,"date":"`...)
	dst = day.AppendFormat(dst, DateLayout)
	dst = append(dst, `","path":`...)
	dst = wire.AppendString(dst, []byte(r.Path))
	dst = append(dst, `,"viewport":`...)
	dst = wire.AppendString(dst, []byte(r.Viewport))
	dst = append(dst, `,"layer":"`...)
	dst = append(dst, r.Layer.String()...)
	dst = append(dst, `","selector":`...)
	dst = wire.AppendString(dst, []byte(r.Selector))
	dst = appendNumber(dst, `,"x":`, int64(r.X))
	dst = appendNumber(dst, `,"y":`, int64(r.Y))
	dst = appendNumber(dst, `,"count":`, int64(r.Count))
	dst = appendNumber(dst, `,"visitors":`, int64(r.Visitors))
	dst = appendNumber(dst, `,"k":`, int64(k))
	dst = appendNumber(dst, `,"schema_version":`, AggregateSchemaVersion)
	return append(dst, '}')
}

func appendNumber(dst []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(dst, key...), v, 10)
}

// parseAggregate reads an aggregate row; ok is false for a row that is not
// one.
func parseAggregate(v *fastjson.Value) (a Aggregate, ok bool) {
	a.Layer = ParseLayer(v.GetStringBytes("layer"))
	cols, rows := a.Layer.Size()
	x, y := v.GetInt("x"), v.GetInt("y")
	count, visitors := v.GetInt64("count"), v.GetInt("visitors")
	if cols == 0 || x < 0 || x >= cols || y < 0 || y >= rows || count < 1 || visitors < 1 {
		return a, false
	}
	a.Path, a.Viewport = string(v.GetStringBytes("path")), string(v.GetStringBytes("viewport"))
	a.Selector = string(v.GetStringBytes("selector"))
	a.X, a.Y, a.Count, a.Visitors = uint8(x), uint8(y), uint64(count), visitors
	return a, true
}

// WriteDay replaces the aggregates of site's day with rows. It writes them
// through a file sink into a staging directory (DATA/.heatmap-staging-…),
// then swaps the staged day directory in for the old one with two
// renames: a reader never sees a partial file, nor old and new rows
// together (only, for a moment, no directory). A day with no rows gets an
// empty directory: it has been aggregated, and no cell reached k.
func WriteDay(dir, site string, day time.Time, k int, rows []Aggregate) error {
	if err := checkSite(site); err != nil {
		return err
	}
	staging, err := stagingDir(dir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	if err := stage(staging, site, day, k, rows); err != nil {
		return fmt.Errorf("writing heatmap aggregates of %s for %s: %w", site, day.Format(DateLayout), err)
	}
	staged := AggregateDayDir(staging, site, day)
	if err := swapIn(staged, AggregateDayDir(dir, site, day), filepath.Join(staging, "old")); err != nil {
		return fmt.Errorf("writing heatmap aggregates of %s for %s: %w", site, day.Format(DateLayout), err)
	}
	return nil
}

func stagingDir(dir string) (string, error) {
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", fmt.Errorf("drawing a staging name: %w", err)
	}
	staging := filepath.Join(dir, ".heatmap-staging-"+hex.EncodeToString(id[:]))
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return "", fmt.Errorf("creating staging directory: %w", err)
	}
	return staging, nil
}

// stage writes rows into staging's partition of the day.
func stage(staging, site string, day time.Time, k int, rows []Aggregate) error {
	files, err := filesink.Open(filesink.Config{Dir: staging, Subdir: AggregateSubdir, Daily: true,
		Now: func() time.Time { return day }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	b := &sink.Record{Kind: sink.KindHeatmap, Site: []byte(site), ReceivedAt: day}
	var errs []error
	for i := range rows {
		b.Rows = append(AppendAggregateRow(b.Rows, site, day, k, &rows[i]), '\n')
		if b.Events++; len(b.Rows) >= batchBytes || i == len(rows)-1 {
			errs = append(errs, files.Append(context.Background(), b))
			b.Rows, b.Events = b.Rows[:0], 0
		}
	}
	errs = append(errs, files.Close())
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.MkdirAll(AggregateDayDir(staging, site, day), 0o755)
}

// swapIn moves the directory staged to final, moving what was there to
// trash first.
func swapIn(staged, final, trash string) error {
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	if isDir(final) {
		if err := os.Rename(final, trash); err != nil {
			return fmt.Errorf("moving the old aggregates away: %w", err)
		}
	}
	if err := os.Rename(staged, final); err != nil {
		return fmt.Errorf("moving the new aggregates in: %w", err)
	}
	d, err := os.Open(parent)
	if err != nil {
		return fmt.Errorf("opening %s: %w", parent, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", parent, err)
	}
	return nil
}

// ErrNoRawData is returned by AggregateDay for a day without raw files.
var ErrNoRawData = errors.New("no raw heatmap files")

// AggregateDay aggregates site's raw heatmap rows of day (by received_at,
// UTC) with k, and replaces the day's aggregates with the result. Every
// compressed byte read is written to progress, when not nil (a progress
// bar). It fails with ErrNoRawData when the day has no raw files.
func AggregateDay(dir, site string, day time.Time, k int, progress io.Writer) (Stats, error) {
	if err := checkSite(site); err != nil {
		return Stats{}, err
	}
	if k < 1 {
		k = DefaultK
	}
	files, err := rawFiles(dir, site, day)
	if err != nil {
		return Stats{}, err
	}
	if len(files) == 0 {
		return Stats{}, fmt.Errorf("aggregating %s for %s: %w under %s", site, day.Format(DateLayout), ErrNoRawData, rawDayDir(dir, site, day))
	}
	rows, st, err := aggregateFilesOf(files, k, Filter{}, progress)
	if err != nil {
		return st, fmt.Errorf("aggregating %s for %s: %w", site, day.Format(DateLayout), err)
	}
	return st, WriteDay(dir, site, day, k, rows)
}

// RawBytes returns the size of the raw files AggregateDay would read, for
// a progress bar's total.
func RawBytes(dir, site string, day time.Time) int64 {
	if checkSite(site) != nil {
		return 0
	}
	files, _ := rawFiles(dir, site, day)
	return sizeOf(files)
}

func aggregateFilesOf(files []string, k int, f Filter, progress io.Writer) ([]Aggregate, Stats, error) {
	r, err := newLineReader(progress)
	if err != nil {
		return nil, Stats{}, err
	}
	defer r.Close()
	agg := NewAggregator(k, f)
	for _, file := range files {
		if err := r.each(file, agg.Add); err != nil {
			return nil, Stats{}, err
		}
	}
	rows, st := agg.Result()
	return rows, st, nil
}
