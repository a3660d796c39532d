package heatmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/crumbless/crumbless/collector/row"
)

// aggRow is an aggregate row as read back.
type aggRow struct {
	Site, Date, Path, Viewport, Layer, Selector string
	X, Y, Count, Visitors, K                    int
	SchemaVersion                               int `json:"schema_version"`
}

// knownDay writes a day of raw rows whose aggregates are known:
//
//   - / lg click 3.12: visitors a0–a4, twice each (two hours): 5 visitors, count 20
//   - / lg click 4.12: visitors a0–a3: 4 visitors, count 4
//   - / lg click 10.10: one visitor, 10 rows of 100: 1 visitor, count 1000
//   - / lg click 3.12 and 20.20 without visitor_id: not counted
//   - / xs click 3.12: 3 visitors (another viewport: its own cell)
//   - / lg scroll 0, 1: 5 visitors; 2: 3 visitors
//   - / lg target #buy 5.5: 5 visitors; #nav 5.5: 3 visitors
//   - /other lg click 3.12: 5 visitors
//   - 3 invalid rows
func knownDay(t *testing.T, dir string) {
	t.Helper()
	h10, h15 := day.Add(10*time.Hour), day.Add(15*time.Hour)
	var rows []raw
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:2,4.12:1"}, 4, "a")...)
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:2"}, 5, "a")[4])
	for range 10 {
		rows = append(rows, raw{path: "/", viewport: "lg", layer: "click", cells: "10.10:100", visitor: "00000000000000ff"})
	}
	for range 20 {
		rows = append(rows, raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:1,20.20:1"})
	}
	rows = append(rows, visitors(raw{path: "/", viewport: "xs", layer: "click", cells: "3.12:1"}, 3, "a")...)
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "scroll", cells: "0:1,1:1"}, 5, "b")...)
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "scroll", cells: "2:1"}, 3, "b")...)
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "target", selector: "#buy", cells: "5.5:1"}, 5, "c")...)
	rows = append(rows, visitors(raw{path: "/", viewport: "lg", layer: "target", selector: "#nav", cells: "5.5:1"}, 3, "c")...)
	rows = append(rows, visitors(raw{path: "/other", viewport: "lg", layer: "click", cells: "3.12:1"}, 5, "d")...)
	rows = append(rows,
		raw{path: "/", viewport: "lg", layer: "click", cells: "50.0:1", visitor: "a000000000000000"},
		raw{path: "/", viewport: "huge", layer: "click", cells: "1.1:1", visitor: "a000000000000000"},
		raw{path: "/", viewport: "lg", layer: "click", selector: "#x", cells: "1.1:1", visitor: "a000000000000000"})
	writeRaw(t, dir, h10, rows...)
	// The same five visitors again, later that day.
	writeRaw(t, dir, h15, visitors(raw{path: "/", viewport: "lg", layer: "click", cells: "3.12:2"}, 5, "a")...)
}

func TestAggregateDayWritesExactlyTheCellsAtOrAboveK(t *testing.T) {
	dir := t.TempDir()
	knownDay(t, dir)
	st, err := AggregateDay(dir, "example.com", day, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []aggRow{
		{Path: "/", Viewport: "lg", Layer: "click", X: 3, Y: 12, Count: 20, Visitors: 5},
		{Path: "/", Viewport: "lg", Layer: "scroll", X: 0, Y: 0, Count: 5, Visitors: 5},
		{Path: "/", Viewport: "lg", Layer: "scroll", X: 0, Y: 1, Count: 5, Visitors: 5},
		{Path: "/", Viewport: "lg", Layer: "target", Selector: "#buy", X: 5, Y: 5, Count: 5, Visitors: 5},
		{Path: "/other", Viewport: "lg", Layer: "click", X: 3, Y: 12, Count: 5, Visitors: 5},
	}
	checkAggregates(t, dir, 5, want)
	wantStats := Stats{Rows: 4 + 1 + 10 + 20 + 3 + 5 + 3 + 5 + 3 + 5 + 3 + 5, Invalid: 3, Anonymous: 20,
		Cells: 10, Kept: 5, Withheld: 5}
	if st != wantStats {
		t.Errorf("stats %+v, want %+v", st, wantStats)
	}

	// Again with k = 4: 4.12 joins, and the day's aggregates are replaced.
	if _, err := AggregateDay(dir, "example.com", day, 4, nil); err != nil {
		t.Fatal(err)
	}
	want = slices.Insert(want, 1, aggRow{Path: "/", Viewport: "lg", Layer: "click", X: 4, Y: 12, Count: 4, Visitors: 4})
	checkAggregates(t, dir, 4, want)
}

// checkAggregates reads the day's aggregate files and compares them with
// want (site, date, k and version filled in); it also checks the file
// layout, that no staging or temporary file is left, and the schema.
func checkAggregates(t *testing.T, dir string, k int, want []aggRow) {
	t.Helper()
	for i := range want {
		want[i].Site, want[i].Date, want[i].K, want[i].SchemaVersion = "example.com", "2026-11-23", k, 1
	}
	files := allFiles(t, dir, AggregateSubdir)
	if len(files) != 1 {
		t.Fatalf("aggregate files: %v", files)
	}
	name := regexp.MustCompile(`^heatmap_aggregates/site=example\.com/date=2026-11-23/part-20261123T000000-[0-9a-f]{8}-\d{6}\.ndjson\.zst$`)
	if !name.MatchString(files[0]) {
		t.Errorf("file %s does not follow the layout", files[0])
	}
	var got []aggRow
	sch := compileSchema(t, row.HeatmapAggregateSchema)
	for _, line := range readLines(t, filepath.Join(dir, files[0])) {
		var r aggRow
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		validate(t, sch, line)
		got = append(got, r)
	}
	if !slices.Equal(got, want) {
		t.Errorf("aggregates\n%+v\nwant\n%+v", got, want)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".heatmap-staging-*")); len(left) > 0 {
		t.Errorf("staging left: %v", left)
	}
}

func TestAggregateDayWithoutRawData(t *testing.T) {
	dir := t.TempDir()
	if _, err := AggregateDay(dir, "example.com", day, 5, nil); !errors.Is(err, ErrNoRawData) {
		t.Errorf("err = %v, want ErrNoRawData", err)
	}
	if _, err := AggregateDay(dir, "../etc", day, 5, nil); err == nil || !strings.Contains(err.Error(), "is not a site id") {
		t.Errorf("unsafe site: err = %v", err)
	}
	if isDir(filepath.Join(dir, AggregateSubdir)) {
		t.Error("aggregates written without raw data")
	}
}

func TestNoCellReachesK(t *testing.T) {
	dir := t.TempDir()
	writeRaw(t, dir, day.Add(time.Hour), visitors(raw{path: "/", viewport: "lg", layer: "click", cells: "1.1:1"}, 4, "a")...)
	st, err := AggregateDay(dir, "example.com", day, 5, nil)
	if err != nil || st.Kept != 0 || st.Withheld != 1 {
		t.Fatalf("stats %+v, err %v", st, err)
	}
	if !isDir(AggregateDayDir(dir, "example.com", day)) {
		t.Error("no day directory: the day does not look aggregated")
	}
	if files := allFiles(t, dir, AggregateSubdir); len(files) != 0 {
		t.Errorf("files: %v", files)
	}
}

func TestRawRowsMatchSchema(t *testing.T) {
	sch := compileSchema(t, row.HeatmapRawSchema)
	at := day.Add(time.Hour)
	for i, r := range []raw{
		{path: "/", viewport: "lg", layer: "click", cells: "3.12:2,4.12:1", visitor: "0123456789abcdef"},
		{path: "/", viewport: "xs", layer: "scroll", cells: "0:1"},
		{path: "/", viewport: "md", layer: "target", selector: "#buy", cells: "5.5:1"},
	} {
		validate(t, sch, []byte(r.json(i, at)))
	}
	bad := raw{path: "/", viewport: "lg", layer: "wobble", cells: "1.1:0"}.json(0, at)
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err := sch.Validate(inst); err == nil {
		t.Error("a bad raw row passes the schema")
	}
}

func compileSchema(t *testing.T, doc []byte) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("s.json", v); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, line []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s: %v", line, err)
	}
}

// allFiles lists the files below dir/sub, relative to dir, hidden ones too.
func allFiles(t *testing.T, dir, sub string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(filepath.Join(dir, sub), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "_") { // not the manifests
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	plain, err := dec.DecodeAll(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Split(bytes.TrimSuffix(plain, []byte("\n")), []byte("\n"))
}
