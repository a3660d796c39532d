// Package filesink is the default sink: it writes rows into Hive-partitioned,
// zstd-compressed NDJSON files that DuckDB, ClickHouse, Spark and pandas
// read directly:
//
//	DIR/events/site=SITE/date=YYYY-MM-DD/hour=HH/part-<yyyymmddThhmmss>-<node>-<seq>.ndjson.zst
//
// partitioned by the batch's received_at (UTC). Each open partition is
// written to a hidden temporary file (".part-….ndjson.zst.tmp") in the same
// directory, so globs never see it, and renamed to its final name once
// complete: on its roll interval, on reaching its size, when its hour ends,
// and on Close. A reader never sees a partial file.
//
// A sink fed from the spool (Config.Spooled) writes exactly once across
// crashes: each batch carries its spool position, a complete file's name
// carries the range of positions of its batches
// (part-…-<seq>-p<first>-<last>.ndjson.zst), and at Open the sink indexes
// the names already published. Each file holds every batch of its site and
// hour within its range (batches arrive in position order), so a replayed
// batch whose position lies within a published range of its own site and
// hour is already in a file and is skipped. Durable tells the spool's relay
// how far every batch is in a complete file, and the relay moves the
// spool's cursor no further: whatever was only in a temporary file when
// the collector died is replayed, and the temporary files are removed.
//
// With Config.Format parquet or both, each complete NDJSON file gets (or,
// with parquet, is replaced by) a Parquet file of the same name, positions
// included, ending in .parquet (event rows only; parquet.go). publish.go
// orders the files' renames so that a crash leaves both formats or
// neither, and the positions mean the same for both.
//
// Each partition directory holds a manifest per node that published files
// in it, _manifest-<node>.json: every file's name, format, rows, bytes,
// sha256, received_at range and schema version, and "complete": true
// once the node adds no more files there (manifest.go). Readers skip
// names starting with "_" or ".". At Open the manifests that are missing
// or do not list the files present are rebuilt from the files
// (recover.go).
//
// It must not import collector or any collector/<x> package other than
// collector/sink.
package filesink

import (
	"errors"
	"log/slog"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Defaults for the zero values of Config.
const (
	DefaultRollInterval  = 60 * time.Second
	DefaultFlushInterval = time.Second
	DefaultMaxFileBytes  = 64 << 20
)

// Config configures a Sink. The zero value of every field but Dir means its
// default.
type Config struct {
	// Dir is the data directory; files go below Dir/Subdir. Required.
	Dir string
	// Subdir is the directory below Dir; default "events".
	Subdir string
	// Daily partitions by date only (Subdir/site=SITE/date=YYYY-MM-DD/),
	// for low-volume outputs such as consent records; files then also
	// complete when their day ends.
	Daily bool
	// RollInterval is the longest a file stays open before it is completed
	// and renamed. Default 60s.
	RollInterval time.Duration
	// FlushInterval is how often buffered rows are compressed and written
	// to the temporary files, and files due to roll are rolled. Default 1s.
	FlushInterval time.Duration
	// MaxFileBytes is the most uncompressed NDJSON one file holds before it
	// rolls (a file is rolled after the batch that reaches it). The file on
	// disk is several times smaller. Default 64 MiB.
	MaxFileBytes int64
	// Format is what files are published: FormatNDJSON (the default),
	// FormatParquet or FormatBoth. Parquet is for event rows
	// (collector/row) only.
	Format Format
	// SchemaVersion is the rows' schema version, listed in the manifests
	// of NDJSON files (row.SchemaVersion for event rows); 0 leaves it out.
	SchemaVersion int
	// Spooled says batches come from the spool with positions
	// (sink.Batch.Pos): file names carry their range, Open indexes the
	// published ones and removes temporary files left by a crash (their
	// batches are replayed), and a replayed batch already in a file is
	// skipped.
	Spooled bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings and errors; nil means slog.Default().
	Logger *slog.Logger
	// Metrics receives the sink's counters; nil means a private set.
	Metrics *metrics.Set
}

// ErrBadSite is returned for a batch whose site id is not a safe path
// segment. The site registry lets only safe ids through, so this means a
// bug upstream.
var ErrBadSite = errors.New("site id is not a safe directory name")

func (c Config) withDefaults() Config {
	if c.Format == "" {
		c.Format = FormatNDJSON
	}
	if c.Subdir == "" {
		c.Subdir = "events"
	}
	if c.RollInterval <= 0 {
		c.RollInterval = DefaultRollInterval
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = DefaultMaxFileBytes
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
	return c
}
