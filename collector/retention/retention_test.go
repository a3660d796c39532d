package retention

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// tree creates one file in each partition, relative to dir.
func tree(t *testing.T, dir string, parts []string) {
	t.Helper()
	for _, p := range parts {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("row\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// remaining lists every file and directory left below dir.
func remaining(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			rel += "/"
		}
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// files keeps the files of list.
func files(list []string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return strings.HasSuffix(s, "/") })
}

// TestRunDeletesExactlyTheExpiredPartitions builds partitions over many
// dates for sites with different settings, and checks, at a fixed clock
// just after midnight UTC, the full set that remains.
func TestRunDeletesExactlyTheExpiredPartitions(t *testing.T) {
	dir := t.TempDir()
	var all []string
	dates := []string{"2026-03-10", "2026-03-09", "2026-03-08", "2026-03-03", "2026-03-02", "2026-02-01", "2025-12-31"}
	for _, site := range []string{"a.example", "b.example", "forever.example", "other.example"} {
		for _, d := range dates {
			all = append(all,
				"events/site="+site+"/date="+d+"/hour=13/part-x.ndjson.zst",
				"events/site="+site+"/date="+d+"/hour=13/part-x.parquet",
				"events/site="+site+"/date="+d+"/hour=13/_manifest-n1.json",
				"heatmaps/site="+site+"/date="+d+"/hour=00/part-h.ndjson.zst",
				"heatmap_aggregates/site="+site+"/date="+d+"/part-a.ndjson.zst",
				"consent/site="+site+"/date="+d+"/part-c.ndjson.zst")
		}
	}
	all = append(all, "events/site=a.example/notes.txt", "events/site=a.example/date=junk/x", "spool/00000001.seg", "erasures/erasures.ndjson")
	tree(t, dir, all)
	set := metrics.NewSet()
	now := time.Date(2026, 3, 10, 0, 0, 5, 0, time.UTC)
	j, err := New(Config{Dir: dir, Days: 30, Metrics: set, Now: func() time.Time { return now },
		Sites: map[string]int{"a.example": 1, "b.example": 7, "forever.example": 0}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := j.Run()
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string][]string{ // by site: the dates that stay
		"a.example":       {"2026-03-10", "2026-03-09"},
		"b.example":       {"2026-03-10", "2026-03-09", "2026-03-08", "2026-03-03"},
		"forever.example": dates,
		"other.example":   {"2026-03-10", "2026-03-09", "2026-03-08", "2026-03-03", "2026-03-02"},
	}
	var want []string
	for _, p := range all {
		site, date := siteDate(p)
		if site == "" || date == "" || slices.Contains(keep[site], date) || !strings.HasPrefix(date, "20") {
			want = append(want, p)
		}
	}
	slices.Sort(want)
	if got := files(remaining(t, dir)); !slices.Equal(got, want) {
		t.Errorf("remaining files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	deleted := len(all) - len(want)
	if res.Files != deleted || res.Bytes != int64(4*deleted) {
		t.Errorf("result counts %d files, %d bytes; want %d, %d", res.Files, res.Bytes, deleted, 4*deleted)
	}
	// a: 5 dates, b: 3, other: 2; in each of 4 kinds.
	if n := len(res.Partitions); n != 4*(5+3+2) {
		t.Errorf("%d partitions deleted, want %d: %v", n, 4*(5+3+2), res.Partitions)
	}
	if got := j.partitions.Get(); got != uint64(len(res.Partitions)) {
		t.Errorf("crumbless_retention_partitions_deleted_total = %d", got)
	}
	if got := j.files.Get(); got != uint64(deleted) {
		t.Errorf("crumbless_retention_files_deleted_total = %d, want %d", got, deleted)
	}
}

// siteDate returns the site and date of a partition path, or "".
func siteDate(p string) (site, date string) {
	for _, seg := range strings.Split(p, "/") {
		if s, ok := strings.CutPrefix(seg, "site="); ok {
			site = s
		}
		if d, ok := strings.CutPrefix(seg, "date="); ok {
			date = d
		}
	}
	return site, date
}

// TestRunRemovesEmptySiteDirectories deletes every partition of a site and
// checks the site directory goes too, and the kind directory stays.
func TestRunRemovesEmptySiteDirectories(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, []string{"events/site=s.example/date=2020-01-01/hour=00/part-1.ndjson.zst"})
	j, _ := New(Config{Dir: dir, Days: 1})
	if _, err := j.Run(); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, dir); !slices.Equal(got, []string{"events/"}) {
		t.Errorf("left %v, want only events/", got)
	}
}

// TestDryRunDeletesNothing reports the partitions and leaves them.
func TestDryRunDeletesNothing(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, []string{"events/site=s.example/date=2020-01-01/hour=00/part-1.ndjson.zst"})
	before := remaining(t, dir)
	j, _ := New(Config{Dir: dir, Days: 1, DryRun: true})
	res, err := j.Run()
	if err != nil || len(res.Partitions) != 1 || res.Files != 1 {
		t.Fatalf("Run() = %+v, %v", res, err)
	}
	if got := remaining(t, dir); !slices.Equal(got, before) || j.partitions.Get() != 0 {
		t.Errorf("a dry run changed the tree: %v", got)
	}
}

// TestTodayIsNeverExpired holds even for a window of one day just before
// midnight, and for partitions dated in the future.
func TestTodayIsNeverExpired(t *testing.T) {
	today := time.Date(2026, 3, 10, 23, 59, 59, 0, time.UTC).Truncate(24 * time.Hour)
	for _, name := range []string{"date=2026-03-10", "date=2026-03-09", "date=2027-01-01", "date=bad", "hour=01"} {
		if expired(name, today, 1) {
			t.Errorf("%s expired with a window of 1 day on 2026-03-10", name)
		}
	}
	if !expired("date=2026-03-08", today, 1) {
		t.Error("2026-03-08 not expired with a window of 1 day on 2026-03-10")
	}
}
