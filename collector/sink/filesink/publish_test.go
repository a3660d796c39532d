package filesink

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	eventrow "github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/layout"
)

// writeAll opens a spooled sink of format in dir, writes recs, following
// their received_at with the clock, and closes it; it returns the sink.
func writeAll(t *testing.T, dir string, format Format, recs []sink.Record) *Sink {
	t.Helper()
	s, c := openTest(t, Config{Dir: dir, Format: format, Spooled: true, SchemaVersion: eventrow.SchemaVersion})
	for i := range recs {
		c.Set(recs[i].ReceivedAt)
		write(t, s, &recs[i])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s
}

// partitionDirs returns the directories under dir/events holding files.
func partitionDirs(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	_ = filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	return sortedKeys(seen)
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// checkManifest checks that dir's manifest of node is complete and lists
// exactly the files of node in dir, each as describe reads it, and
// returns it.
func checkManifest(t *testing.T, dir, node string) *manifest {
	t.Helper()
	m, err := readManifest(dir, node)
	if err != nil {
		t.Fatalf("manifest of %s in %s: %v", node, dir, err)
	}
	if !m.Complete || m.Node != node {
		t.Errorf("manifest in %s: node %q complete %v, want %q and complete", dir, m.Node, m.Complete, node)
	}
	var want []manifestFile
	for _, name := range names(t, dir) {
		if nodeOf(name) == node {
			f, err := describe(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, f)
		}
	}
	got := m.Files
	byName := map[string]manifestFile{}
	for _, f := range got {
		byName[f.Name] = f
	}
	if len(byName) != len(want) {
		t.Errorf("manifest in %s lists %d files, %d present", dir, len(byName), len(want))
	}
	for _, w := range want {
		if g := byName[w.Name]; !reflect.DeepEqual(g, w) {
			t.Errorf("manifest entry\n got %+v\nwant %+v", g, w)
		}
	}
	return m
}

func TestBothPublishesTwinsAndManifests(t *testing.T) {
	recs := eventRecords(40)
	s := writeAll(t, t.TempDir(), FormatBoth, recs)
	dirs := partitionDirs(t, s.cfg.Dir)
	if len(dirs) < 10 {
		t.Fatalf("%d partitions, want 5 sites × 3 hours at least", len(dirs))
	}
	rows := int64(0)
	for _, dir := range dirs {
		var ndjson, pq int
		for _, name := range names(t, dir) {
			switch {
			case strings.HasSuffix(name, fileExt):
				ndjson++
				if _, err := os.Stat(filepath.Join(dir, parquetName(name))); err != nil {
					t.Errorf("%s has no Parquet twin: %v", name, err)
				}
			case strings.HasSuffix(name, parquetExt):
				pq++
			case name != manifestName(s.node):
				t.Errorf("unexpected file %s in %s", name, dir)
			}
		}
		if ndjson == 0 || ndjson != pq {
			t.Errorf("%s: %d NDJSON and %d Parquet files", dir, ndjson, pq)
		}
		for _, f := range checkManifest(t, dir, s.node).Files {
			if f.Format == FormatParquet {
				rows += f.Rows
			}
			if f.SchemaVersion != eventrow.SchemaVersion || f.MinReceivedAt == "" || f.MinReceivedAt > f.MaxReceivedAt {
				t.Errorf("manifest entry %+v", f)
			}
		}
	}
	if rows != int64(len(recs)*3) {
		t.Errorf("manifests list %d Parquet rows, want %d", rows, len(recs)*3)
	}
}

func TestParquetOnlyReplacesNDJSON(t *testing.T) {
	recs := eventRecords(20)
	s := writeAll(t, t.TempDir(), FormatParquet, recs)
	rows := int64(0)
	for _, dir := range partitionDirs(t, s.cfg.Dir) {
		for _, name := range names(t, dir) {
			if !strings.HasSuffix(name, parquetExt) && name != manifestName(s.node) {
				t.Errorf("unexpected file %s in %s", name, dir)
			}
		}
		for _, f := range checkManifest(t, dir, s.node).Files {
			rows += f.Rows
		}
	}
	if rows != int64(len(recs)*3) {
		t.Errorf("%d rows in Parquet files, want %d", rows, len(recs)*3)
	}
}

// reopen opens a spooled sink on dir again, hands it recs again (a replay
// from the spool's cursor at 0) and closes it; it returns how many were
// skipped as already in a complete file.
func reopen(t *testing.T, dir string, format Format, recs []sink.Record) (*Sink, int) {
	t.Helper()
	set := metrics.NewSet()
	s, c := openTest(t, Config{Dir: dir, Format: format, Spooled: true, SchemaVersion: eventrow.SchemaVersion, Metrics: set})
	for i := range recs {
		c.Set(recs[i].ReceivedAt)
		write(t, s, &recs[i])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s, int(s.skipped.Get())
}

// TestCrashBetweenRenames: a crash after the NDJSON file's rename (the
// commit) and before the Parquet file's leaves the Parquet file complete
// under its temporary name and no manifest update; Open publishes it and
// rebuilds the manifest, and the replayed batches are skipped.
func TestCrashBetweenRenames(t *testing.T) {
	recs := eventRecords(30)
	dir := t.TempDir()
	first := writeAll(t, dir, FormatBoth, recs)
	want := map[string]*manifest{}
	for _, p := range partitionDirs(t, dir) {
		m, err := readManifest(p, first.node)
		if err != nil {
			t.Fatal(err)
		}
		want[p] = m
		for _, name := range names(t, p) {
			if strings.HasSuffix(name, parquetExt) { // back to the state of the crash
				if err := os.Rename(filepath.Join(p, name), filepath.Join(p, tmpName(name))); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.WriteFile(filepath.Join(p, manifestName(first.node)), []byte(`{"node":"`+first.node+`","files":[]}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, skipped := reopen(t, dir, FormatBoth, recs)
	if skipped != len(recs) {
		t.Errorf("%d of %d replayed batches skipped", skipped, len(recs))
	}
	for p, w := range want {
		if got := checkManifest(t, p, first.node); !reflect.DeepEqual(got.Files, w.Files) {
			t.Errorf("rebuilt manifest of %s:\n got %+v\nwant %+v", p, got.Files, w.Files)
		}
	}
	if tmp := tmpFiles(dir); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestCrashBeforeCommit: a crash before the commit leaves temporary files
// only (a Parquet one without a published NDJSON twin): Open removes them
// and the replayed batches are written again, once.
func TestCrashBeforeCommit(t *testing.T) {
	recs := eventRecords(10)
	dir := t.TempDir()
	first := writeAll(t, dir, FormatBoth, recs)
	p := partitionDirs(t, dir)[0]
	lost := 0
	for _, name := range names(t, p) {
		if _, _, ok := stemOf(name); ok {
			if err := os.Rename(filepath.Join(p, name), filepath.Join(p, tmpName(name))); err != nil {
				t.Fatal(err)
			}
			lost++
		}
	}
	os.Remove(filepath.Join(p, manifestName(first.node)))
	second, skipped := reopen(t, dir, FormatBoth, recs)
	if skipped == len(recs) || skipped == 0 {
		t.Errorf("%d of %d batches skipped; the lost partition's must be written again", skipped, len(recs))
	}
	if tmp := tmpFiles(dir); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	if n := len(names(t, p)); n != lost+1 {
		t.Errorf("%s holds %v, want the rewritten twins and one manifest", p, names(t, p))
	}
	checkManifest(t, p, second.node)
	total := 0
	for _, rows := range readFiles(t, dir) {
		total += len(rows)
	}
	if total != len(recs)*3 {
		t.Errorf("%d NDJSON rows, want %d: lost or duplicated", total, len(recs)*3)
	}
}

// TestCrashAfterParquetCommit: with FormatParquet, a crash after the
// Parquet file's rename leaves the temporary NDJSON file: Open removes it,
// and the replay is skipped.
func TestCrashAfterParquetCommit(t *testing.T) {
	recs := eventRecords(10)
	dir := t.TempDir()
	writeAll(t, dir, FormatParquet, recs)
	p := partitionDirs(t, dir)[0]
	if err := os.WriteFile(filepath.Join(p, tmpName(fileName(start, "deadbeef", 1))), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, skipped := reopen(t, dir, FormatParquet, recs); skipped != len(recs) {
		t.Errorf("%d of %d replayed batches skipped", skipped, len(recs))
	}
	if tmp := tmpFiles(dir); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestManifestCompletesWhenHourEnds(t *testing.T) {
	s, c := openTest(t, Config{RollInterval: time.Minute})
	write(t, s, batch("example.com", start, 2))
	c.Set(start.Add(61 * time.Second))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	dir := partitionDir(s.root, "example.com", layout.HourOf(start), false)
	if m, err := readManifest(dir, s.node); err != nil || m.Complete || len(m.Files) != 1 || m.Files[0].Rows != 2 {
		t.Fatalf("manifest after a roll within the hour: %+v, %v", m, err)
	}
	c.Set(start.Add(time.Hour))
	write(t, s, batch("other.org", start.Add(time.Hour), 1)) // another partition, still open
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if m, err := readManifest(dir, s.node); err != nil || !m.Complete || len(m.Files) != 1 {
		t.Errorf("manifest once the hour is over: %+v, %v", m, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	other := partitionDir(s.root, "other.org", layout.HourOf(start)+1, false)
	if m, err := readManifest(other, s.node); err != nil || !m.Complete || len(m.Files) != 1 {
		t.Errorf("manifest after Close: %+v, %v", m, err)
	}
}

func TestManifestRebuiltWhenItDisagrees(t *testing.T) {
	recs := eventRecords(10)
	dir := t.TempDir()
	first := writeAll(t, dir, FormatNDJSON, recs)
	dirs := partitionDirs(t, dir)
	want, err := readManifest(dirs[0], first.node)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dirs[0], manifestName(first.node)), []byte("{"), 0o644)
	os.Remove(filepath.Join(dirs[1], manifestName(first.node)))
	os.WriteFile(filepath.Join(dirs[2], manifestTmpPrefix+first.node+manifestExt+tmpSuffix), nil, 0o644)
	reopen(t, dir, FormatNDJSON, nil)
	if got := checkManifest(t, dirs[0], first.node); !reflect.DeepEqual(got, want) {
		t.Errorf("rebuilt manifest:\n got %+v\nwant %+v", got, want)
	}
	checkManifest(t, dirs[1], first.node)
	if n := names(t, dirs[2]); len(n) != 2 {
		t.Errorf("%s holds %v, want a file and its manifest", dirs[2], n)
	}
}
