// Package retention deletes the data a site keeps no longer: whole date
// partitions (DATA/<kind>/site=SITE/date=YYYY-MM-DD/) of every output
// kind, once their date is more than the site's number of days before
// today (UTC). A partition of today, or inside the window, is never
// touched, nor anything that is not a site=…/date=… directory.
//
// It reads and deletes directories only: it must not import collector or
// any other collector/<x> package.
package retention

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Kinds are the subdirectories of the data directory partitioned by site
// and date: events, raw heatmap rows, heatmap aggregates and consent
// records.
var Kinds = []string{"events", "heatmaps", "heatmap_aggregates", "consent"}

// dateLayout is how partitions name their date.
const dateLayout = "2006-01-02"

// Config configures a Job.
type Config struct {
	// Dir is the data directory. Required.
	Dir string
	// Days is how many days before today a partition is kept, for every
	// site Sites does not name; 0 keeps everything.
	Days int
	// Sites overrides Days per site id; 0 keeps that site's data forever.
	Sites map[string]int
	// DryRun logs and counts what would be deleted, and deletes nothing.
	DryRun bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives a line per deleted partition; nil means slog.Default().
	Logger *slog.Logger
	// Metrics receives the crumbless_retention_* counters; nil means a
	// private set.
	Metrics *metrics.Set
}

// Job deletes expired partitions. Its Run is not safe for concurrent use.
type Job struct {
	cfg                                  Config
	log                                  *slog.Logger
	runs, partitions, files, bytes, errs *metrics.Counter
}

// Result is what one Run deleted (or, dry, would delete).
type Result struct {
	// Partitions are the deleted date directories, relative to Dir, with
	// forward slashes, in the order deleted.
	Partitions []string
	// Files and Bytes count the files inside them.
	Files int
	Bytes int64
}

// New returns a Job for cfg.
func New(cfg Config) (*Job, error) {
	if cfg.Dir == "" {
		return nil, errors.New("starting retention: no data directory given")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.NewSet()
	}
	set := cfg.Metrics
	return &Job{
		cfg:        cfg,
		log:        cfg.Logger,
		runs:       set.GetOrCreateCounter("crumbless_retention_runs_total"),
		partitions: set.GetOrCreateCounter("crumbless_retention_partitions_deleted_total"),
		files:      set.GetOrCreateCounter("crumbless_retention_files_deleted_total"),
		bytes:      set.GetOrCreateCounter("crumbless_retention_bytes_deleted_total"),
		errs:       set.GetOrCreateCounter("crumbless_retention_errors_total"),
	}, nil
}

// days returns how many days site keeps its partitions; 0 is forever.
func (j *Job) days(site string) int {
	if d, ok := j.cfg.Sites[site]; ok {
		return d
	}
	return j.cfg.Days
}

// Run deletes every expired partition of every kind and site, and the
// site directories it leaves empty. It goes on past a partition it cannot
// delete and returns every such error.
func (j *Job) Run() (Result, error) {
	j.runs.Inc()
	today := j.cfg.Now().UTC().Truncate(24 * time.Hour)
	var res Result
	var errs []error
	for _, kind := range Kinds {
		sites, err := j.siteDirs(filepath.Join(j.cfg.Dir, kind))
		errs = append(errs, err)
		for _, site := range sites {
			errs = append(errs, j.runSite(&res, kind, site, today))
		}
	}
	err := errors.Join(errs...)
	if err != nil {
		j.errs.Inc()
	}
	return res, err
}

// siteDirs returns the site ids of root's site=SITE directories; none when
// root does not exist.
func (j *Job) siteDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %q: %w", root, err)
	}
	var sites []string
	for _, e := range entries {
		if site, ok := strings.CutPrefix(e.Name(), "site="); ok && e.IsDir() && site != "" {
			sites = append(sites, site)
		}
	}
	return sites, nil
}
