package erasure

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

const (
	visitorA = "aaaaaaaaaaaaaaaa"
	visitorB = "bbbbbbbbbbbbbbbb"
)

// row returns one NDJSON row line of visitor (none when empty) and uid
// (none when empty).
func row(i int, visitor, uid string) string {
	s := fmt.Sprintf(`{"event_id":"e%d","type":"pageview","site":"s.example","path":"/p/%d?q=%s"`, i, i, visitorA)
	if visitor != "" {
		s += `,"visitor_id":"` + visitor + `"`
	}
	if uid != "" {
		s += `,"uid":"` + uid + `"`
	}
	return s + "}\n"
}

func writeZst(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	if err := os.WriteFile(path, enc.EncodeAll([]byte(strings.Join(lines, "")), nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readZst(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, _ := zstd.NewReader(nil)
	defer dec.Close()
	plain, err := dec.DecodeAll(raw, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return strings.SplitAfter(string(plain), "\n")[:strings.Count(string(plain), "\n")]
}

// fixture is a data directory with files of two visitors (and rows of
// neither) in several partitions, and what each file holds.
type fixture struct {
	dir   string
	files map[string][]string // relative path → lines
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{dir: t.TempDir(), files: map[string][]string{}}
	add := func(rel string, lines ...string) {
		f.files[rel] = lines
		writeZst(t, filepath.Join(f.dir, rel), lines)
	}
	h := "events/site=s.example/date=2026-03-09/hour=10/"
	add(h+"part-20260309T100000-n1-000001-p1-4.ndjson.zst", row(1, visitorA, ""), row(2, visitorB, ""), row(3, "", ""), row(4, visitorA, "u-1"))
	add(h+"part-20260309T101000-n1-000002-p5-6.ndjson.zst", row(5, visitorB, ""), row(6, "", "u-2"))
	add("events/site=s.example/date=2026-03-10/hour=00/part-20260310T000000-n1-000003.ndjson.zst", row(7, visitorA, ""))
	add("heatmaps/site=s.example/date=2026-03-10/hour=00/part-20260310T000000-n1-000001.ndjson.zst", row(8, visitorA, ""), row(9, visitorB, ""))
	add("events/site=other.example/date=2026-03-10/hour=00/part-20260310T000000-n1-000001.ndjson.zst", row(10, visitorA, ""))
	// A file the sink is still writing, and the leftover of a crash.
	add("events/site=s.example/date=2026-03-10/hour=00/.part-20260310T001000-n1-000004.ndjson.zst.tmp", row(11, visitorA, ""))
	add("events/site=s.example/date=2026-03-09/hour=10/.erase-part-20260309T100000-n1-000001-p1-4.ndjson.zst.tmp", row(1, visitorA, ""))
	return f
}

// check asserts that every file holds its lines but those of gone, byte
// for byte and in order, that the erasure's leftover is removed, and
// that files without such lines are untouched.
func (f *fixture) check(t *testing.T, gone func(line string) bool, before map[string][]byte) {
	t.Helper()
	for rel, lines := range f.files {
		path := filepath.Join(f.dir, rel)
		if strings.Contains(rel, "/.erase-") {
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("leftover %s not removed", rel)
			}
			continue
		}
		want := slices.DeleteFunc(slices.Clone(lines), gone)
		if strings.Contains(rel, "/.part-") || strings.Contains(rel, "site=other") {
			want = lines // open files and other sites are not touched
		}
		if got := readZst(t, path); !slices.Equal(got, want) {
			t.Errorf("%s holds\n%v\nwant\n%v", rel, got, want)
		}
		if len(want) == len(lines) {
			if raw, _ := os.ReadFile(path); !bytes.Equal(raw, before[rel]) {
				t.Errorf("%s was rewritten without holding the subject's rows", rel)
			}
		}
	}
}

func snapshot(t *testing.T, f *fixture) map[string][]byte {
	m := map[string][]byte{}
	for rel := range f.files {
		m[rel], _ = os.ReadFile(filepath.Join(f.dir, rel))
	}
	return m
}

func TestEraseRemovesExactlyOneVisitorsRows(t *testing.T) {
	f := newFixture(t)
	before := snapshot(t, f)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	res, err := Erase(Config{Dir: f.dir, Now: func() time.Time { return at }}, "s.example", Subject{Kind: KindVisitor, ID: visitorA})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, func(l string) bool { return strings.Contains(l, `"visitor_id":"`+visitorA) }, before)
	if res.Rows != 4 || len(res.Files) != 3 {
		t.Errorf("Erase removed %d rows from %v; want 4 rows from 3 files", res.Rows, res.Files)
	}
	recs, err := ReadRecords(f.dir)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %v, %v", recs, err)
	}
	r := recs[0]
	if r.Site != "s.example" || r.Kind != KindVisitor || r.Rows != 4 || len(r.Files) != 3 ||
		r.IDHash != (Subject{Kind: KindVisitor, ID: visitorA}).Hash() || r.Time != "2026-03-10T12:00:00.000Z" {
		t.Errorf("record %+v", r)
	}
	log, _ := os.ReadFile(filepath.Join(f.dir, Subdir, RecordFile))
	if bytes.Contains(log, []byte(visitorA)) {
		t.Errorf("the erasure log names the id: %s", log)
	}
}

func TestEraseByUID(t *testing.T) {
	f := newFixture(t)
	before := snapshot(t, f)
	res, err := Erase(Config{Dir: f.dir}, "s.example", Subject{Kind: KindUID, ID: "u-1"})
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, func(l string) bool { return strings.Contains(l, `"uid":"u-1"`) }, before)
	if res.Rows != 1 || len(res.Files) != 1 {
		t.Errorf("Erase removed %d rows from %v; want 1 row from 1 file", res.Rows, res.Files)
	}
	log, _ := os.ReadFile(filepath.Join(f.dir, Subdir, RecordFile))
	if bytes.Contains(log, []byte("u-1")) {
		t.Errorf("the erasure log names the uid: %s", log)
	}
}

func TestEraseRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		site string
		s    Subject
	}{
		{"s.example", Subject{Kind: KindVisitor, ID: "xyz"}},
		{"s.example", Subject{Kind: KindUID, ID: strings.Repeat("u", 65)}},
		{"s.example", Subject{Kind: "ip", ID: "1"}},
		{"../etc", Subject{Kind: KindVisitor, ID: visitorA}},
	} {
		if _, err := Erase(Config{Dir: dir}, c.site, c.s); err == nil {
			t.Errorf("Erase(%q, %+v) succeeded", c.site, c.s)
		}
	}
}

// parquetRow is a Parquet row as a sink might write one; the erasure reads
// and writes Parquet without knowing this type.
type parquetRow struct {
	EventID   string  `parquet:"event_id"`
	VisitorID *string `parquet:"visitor_id,optional"`
	Path      string  `parquet:"path,zstd"`
}

func TestEraseRewritesParquet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events/site=s.example/date=2026-03-10/hour=00/part-20260310T000000-n1-000001.parquet")
	os.MkdirAll(filepath.Dir(path), 0o755)
	a, b := visitorA, visitorB
	rows := []parquetRow{{"e1", &a, "/1"}, {"e2", &b, "/2"}, {"e3", nil, "/3"}, {"e4", &a, "/4"}}
	out, _ := os.Create(path)
	w := parquet.NewGenericWriter[parquetRow](out, parquet.KeyValueMetadata("crumbless.schema", "1"))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	res, err := Erase(Config{Dir: dir}, "s.example", Subject{Kind: KindVisitor, ID: visitorA})
	if err != nil || res.ParquetRows != 2 || res.Rows != 0 || len(res.Files) != 1 {
		t.Fatalf("Erase = %+v, %v; want 2 rows from 1 file", res, err)
	}
	got, err := parquet.ReadFile[parquetRow](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].EventID != "e2" || *got[0].VisitorID != visitorB || got[1].EventID != "e3" ||
		got[1].VisitorID != nil || got[1].Path != "/3" {
		t.Errorf("left %+v", got)
	}
	f, _ := os.Open(path)
	defer f.Close()
	pf, _ := openParquet(f)
	if v, ok := pf.Lookup("crumbless.schema"); !ok || v != "1" {
		t.Errorf("key-value metadata lost: %q %v", v, ok)
	}
}

// TestApplyPendingHoldsRequests applies a request, completes a file with
// more of the visitor's rows (the sink had it open), and applies it again
// after the hold: those rows go too, and only then is the request done.
func TestApplyPendingHoldsRequests(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cfg := Config{Dir: f.dir, Now: func() time.Time { return now }}
	// A week earlier the same id would be another visitor's (another salt).
	old := filepath.Join(f.dir, "events/site=s.example/date=2026-03-03/hour=00/part-20260303T000000-n1-000001.ndjson.zst")
	writeZst(t, old, []string{row(20, visitorA, "")})
	req := Request{Site: "s.example", Kind: KindVisitor, IDs: []string{visitorA, "cccccccccccccccc"}, Received: now.UnixMilli()}
	if err := WriteRequest(f.dir, req); err != nil {
		t.Fatal(err)
	}
	if n, err := ApplyPending(cfg, 10*time.Minute); err != nil || n != 0 || Pending(f.dir) != 1 {
		t.Fatalf("first run finished %d, %v; %d pending", n, err, Pending(f.dir))
	}
	open := "events/site=s.example/date=2026-03-10/hour=00/.part-20260310T001000-n1-000004.ndjson.zst.tmp"
	done := strings.Replace(strings.Replace(open, ".part-", "part-", 1), ".tmp", "", 1)
	if err := os.Rename(filepath.Join(f.dir, open), filepath.Join(f.dir, done)); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * time.Minute)
	if n, err := ApplyPending(cfg, 10*time.Minute); err != nil || n != 1 || Pending(f.dir) != 0 {
		t.Fatalf("second run finished %d, %v; %d pending", n, err, Pending(f.dir))
	}
	if got := readZst(t, old); len(got) != 1 {
		t.Errorf("a request for a visitor id erased outside its days: %v", got)
	}
	if got := readZst(t, filepath.Join(f.dir, done)); len(got) != 0 {
		t.Errorf("the completed file still holds %v", got)
	}
	recs, _ := ReadRecords(f.dir)
	// visitorA: 4 rows at the first run, 1 at the second; "ccc…" is
	// recorded at the last run only, with no rows.
	var rows []int
	for _, r := range recs {
		rows = append(rows, r.Rows)
	}
	if !slices.Equal(rows, []int{4, 1, 0}) {
		t.Errorf("records' rows %v, want [4 1 0]", rows)
	}
}

// TestEraseKeepsManifestsTrue rewrites a file listed in a complete
// manifest, which then describes the new file and keeps its other fields,
// and leaves a partition whose manifest is not complete (a collector still
// writes there) for a later run.
func TestEraseKeepsManifestsTrue(t *testing.T) {
	dir := t.TempDir()
	done := filepath.Join(dir, "events/site=s.example/date=2026-03-10/hour=00")
	busy := filepath.Join(dir, "events/site=s.example/date=2026-03-10/hour=01")
	name := "part-20260310T000000-n1-000001.ndjson.zst"
	writeZst(t, filepath.Join(done, name), []string{row(1, visitorA, ""), row(2, visitorB, "")})
	writeZst(t, filepath.Join(busy, name), []string{row(3, visitorA, "")})
	manifest := func(complete bool) string {
		return fmt.Sprintf(`{"node":"n1","complete":%v,"files":[{"name":%q,"format":"ndjson","rows":2,"bytes":1,"sha256":"x","schema_version":1},{"name":"part-other.ndjson.zst","rows":7,"bytes":9,"sha256":"y"}]}`, complete, name)
	}
	os.WriteFile(filepath.Join(done, "_manifest-n1.json"), []byte(manifest(true)), 0o644)
	os.WriteFile(filepath.Join(busy, "_manifest-n1.json"), []byte(manifest(false)), 0o644)
	res, err := Erase(Config{Dir: dir}, "s.example", Subject{Kind: KindVisitor, ID: visitorA})
	if err != nil || res.Rows != 1 || res.Deferred != 1 {
		t.Fatalf("Erase = %+v, %v; want 1 row removed, 1 file deferred", res, err)
	}
	if got := readZst(t, filepath.Join(busy, name)); len(got) != 1 {
		t.Errorf("a file of a partition still being written was rewritten: %v", got)
	}
	var m struct {
		Node     string
		Complete bool
		Files    []struct {
			Name, Format, SHA256 string
			Rows, Bytes          int64
			SchemaVersion        int `json:"schema_version"`
		}
	}
	data, _ := os.ReadFile(filepath.Join(done, "_manifest-n1.json"))
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(done, name))
	sum := sha256.Sum256(raw)
	f := m.Files[0]
	if m.Node != "n1" || !m.Complete || f.Rows != 1 || f.Bytes != int64(len(raw)) || f.SHA256 != hex.EncodeToString(sum[:]) ||
		f.Format != "ndjson" || f.SchemaVersion != 1 || m.Files[1].Rows != 7 || m.Files[1].SHA256 != "y" {
		t.Errorf("manifest after the erasure: %s", data)
	}
}

// TestApplyPendingSetsAsideInvalidRequests keeps a broken request from
// failing every minute.
func TestApplyPendingSetsAsideInvalidRequests(t *testing.T) {
	dir := t.TempDir()
	reqs := filepath.Join(dir, Subdir, RequestsDir)
	os.MkdirAll(reqs, 0o755)
	os.WriteFile(filepath.Join(reqs, "1-x.json"), []byte(`{"site":"../x","kind":"visitor","ids":["aaaaaaaaaaaaaaaa"]}`), 0o644)
	if _, err := ApplyPending(Config{Dir: dir}, time.Hour); err == nil {
		t.Error("an invalid request applied without error")
	}
	if _, err := os.Stat(filepath.Join(reqs, "1-x.json.invalid")); err != nil || Pending(dir) != 0 {
		t.Errorf("the invalid request was not set aside: %v, %d pending", err, Pending(dir))
	}
	if _, err := ApplyPending(Config{Dir: dir}, time.Hour); err != nil {
		t.Errorf("the next run: %v", err)
	}
}
