// Package erasure removes every row of one visitor from a site's files:
// the rows whose visitor_id (the daily visitor key) or uid (the stable id
// T3 rows carry) is the given id, in the events and the raw heatmap rows
// (DATA/events and DATA/heatmaps). Each file holding such a row is
// rewritten without it to a hidden temporary file in its directory,
// synced, and renamed over the original, keeping its name (the spool
// positions in names stay valid); the directory is synced. Files without
// the id are not touched, and the other rows of a rewritten file stay byte
// for byte. Parquet files beside the NDJSON ones are rewritten the same
// way (parquet.go). Each erasure appends a record to
// DATA/erasures/erasures.ndjson holding a hash of the id, never the id.
//
// Only complete files are rewritten: a file the collector is still
// writing is a hidden temporary file (".part-…") and is left alone, so its
// rows are erased by the next run after it completes. Requests
// (request.go) stay pending long enough for that. A temporary file left
// by a crash during a rewrite (".erase-…") is removed by the next run; the
// original is then still whole.
//
// Heatmap aggregates hold no visitor (counts of at least k visitors), and
// consent records are not rewritten: they are the proof of consent the
// site must keep, and are hash-chained.
//
// It must not import collector or any collector/<x> package.
package erasure

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Kinds are the subdirectories of the data directory whose rows carry
// visitor_id or uid.
var Kinds = []string{"events", "heatmaps"}

// Subdir is the directory below the data directory for erasure records
// and requests.
const Subdir = "erasures"

// Config configures erasures.
type Config struct {
	// Dir is the data directory. Required.
	Dir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives a line per erasure; nil means slog.Default().
	Logger *slog.Logger
	// Metrics receives the crumbless_erasure_* counters; nil means a
	// private set.
	Metrics *metrics.Set
}

func (c Config) withDefaults() (Config, error) {
	if c.Dir == "" {
		return c, errors.New("erasing: no data directory given")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.NewSet()
	}
	return c, nil
}

// Result is what one erasure did.
type Result struct {
	// Files are the rewritten files, relative to the data directory.
	Files []string
	// Rows is the number of rows removed from NDJSON files, ParquetRows
	// from Parquet files (a sink writing both formats writes each row
	// twice).
	Rows, ParquetRows int
	// Deferred counts the files left alone because their partition's
	// manifest is not complete: a collector is still writing there. A
	// later run erases their rows.
	Deferred int
}

// add counts n rows removed from the file at path.
func (r *Result) add(dataDir, path string, n int) {
	rel, _ := filepath.Rel(dataDir, path)
	r.Files = append(r.Files, filepath.ToSlash(rel))
	if strings.HasSuffix(path, parquetExt) {
		r.ParquetRows += n
	} else {
		r.Rows += n
	}
}

// Erase removes every row of subject from site's complete files, then
// appends the erasure record. It first removes the temporary files an
// interrupted erasure left. It goes on past a file it cannot rewrite, and
// returns every such error; the record is written in any case.
func Erase(cfg Config, site string, subject Subject) (Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	return erase(cfg, site, subject, true)
}

// erase is Erase on a Config with defaults; it writes the record only when
// rows were removed, or when always is set.
func erase(cfg Config, site string, subject Subject, always bool) (Result, error) {
	if err := subject.Validate(); err != nil {
		return Result{}, err
	}
	if !safeSite(site) {
		return Result{}, fmt.Errorf("erasing: %q is not a site id", site)
	}
	var res Result
	var errs []error
	for _, kind := range Kinds {
		errs = append(errs, eraseTree(&res, cfg.Dir, filepath.Join(cfg.Dir, kind, "site="+site), subject))
	}
	if always || res.Rows+res.ParquetRows > 0 {
		errs = append(errs, appendRecord(cfg, site, subject, res))
		count(cfg.Metrics, res)
		cfg.Logger.Info("erasure: removed a visitor's rows", "site", site, "kind", subject.Kind,
			"files", len(res.Files), "rows", res.Rows, "parquet_rows", res.ParquetRows, "deferred_files", res.Deferred)
	}
	if err := errors.Join(errs...); err != nil {
		cfg.Metrics.GetOrCreateCounter("crumbless_erasure_errors_total").Inc()
		return res, fmt.Errorf("erasing from site %q: %w", site, err)
	}
	return res, nil
}

func count(set *metrics.Set, res Result) {
	set.GetOrCreateCounter("crumbless_erasures_total").Inc()
	set.GetOrCreateCounter("crumbless_erasure_files_rewritten_total").Add(len(res.Files))
	set.GetOrCreateCounter("crumbless_erasure_rows_removed_total").Add(res.Rows + res.ParquetRows)
}

// safeSite reports whether site can be a directory name, by the file
// sink's rule (filesink.SafeSite, not imported so that this package stays
// apart from the sink): 1 to 253 bytes of lower-case letters, digits, dots
// and dashes, not starting with a dot, without "..".
func safeSite(site string) bool {
	if len(site) == 0 || len(site) > 253 || site[0] == '.' {
		return false
	}
	for i := 0; i < len(site); i++ {
		c := site[i]
		ok := 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' && site[i-1] != '.'
		if !ok {
			return false
		}
	}
	return true
}
