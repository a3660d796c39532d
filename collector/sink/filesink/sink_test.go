package filesink

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
)

var partName = regexp.MustCompile(`^events/site=([a-z0-9.-]+)/date=(\d{4}-\d{2}-\d{2})/hour=(\d{2})/part-(\d{8}T\d{6})-[0-9a-f]{8}-(\d{6})\.ndjson\.zst$`)

func TestWriteAndReadBack(t *testing.T) {
	s, _ := openTest(t, Config{})
	write(t, s, batch("example.com", start, 3))
	write(t, s, batch("example.com", start, 2))
	write(t, s, batch("other.org", start, 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files := readFiles(t, s.cfg.Dir)
	if len(files) != 2 {
		t.Fatalf("files: %v", sortedKeys(files))
	}
	for path, rows := range files {
		m := partName.FindStringSubmatch(filepath.ToSlash(path))
		if m == nil {
			t.Fatalf("file %q does not follow the naming scheme", path)
		}
		if m[2] != "2026-11-23" || m[3] != "18" || m[4] != "20261123T182001" {
			t.Errorf("file %q: wrong date, hour or time", path)
		}
		want := map[string]int{"example.com": 5, "other.org": 1}[m[1]]
		if len(rows) != want {
			t.Errorf("file %q has %d rows, want %d", path, len(rows), want)
		}
		for _, r := range rows {
			if r.Site != m[1] {
				t.Errorf("row of site %q in the file of %q", r.Site, m[1])
			}
		}
	}
	if tmp := tmpFiles(s.cfg.Dir); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestRollsOnSize(t *testing.T) {
	s, _ := openTest(t, Config{MaxFileBytes: 100})
	b := batch("example.com", start, 3) // 87 bytes: the second batch fills a file
	for range 4 {
		write(t, s, b)
	}
	files := readFiles(t, s.cfg.Dir)
	if len(files) != 2 {
		t.Fatalf("%d complete files before Close, want 2", len(files))
	}
	for path, rows := range files {
		if len(rows) != 6 {
			t.Errorf("%s has %d rows, want 6", path, len(rows))
		}
	}
	if tmp := tmpFiles(s.cfg.Dir); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestRollsOnInterval(t *testing.T) {
	s, c := openTest(t, Config{RollInterval: time.Minute})
	write(t, s, batch("example.com", start, 1))
	c.Set(start.Add(59 * time.Second))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := len(readFiles(t, s.cfg.Dir)); n != 0 || len(tmpFiles(s.cfg.Dir)) != 1 {
		t.Fatalf("rolled early: %d files", n)
	}
	c.Set(start.Add(61 * time.Second))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := len(readFiles(t, s.cfg.Dir)); n != 1 || len(tmpFiles(s.cfg.Dir)) != 0 {
		t.Fatalf("after the roll interval: %d complete files, %d temporary", n, len(tmpFiles(s.cfg.Dir)))
	}
	write(t, s, batch("example.com", c.Now(), 1))
	if len(tmpFiles(s.cfg.Dir)) != 1 {
		t.Error("no new file after the roll")
	}
}

func TestRollsOnHourChange(t *testing.T) {
	s, c := openTest(t, Config{})
	late := time.Date(2026, 11, 23, 18, 59, 59, 0, time.UTC)
	c.Set(late)
	write(t, s, batch("example.com", late, 1))
	next := late.Add(2 * time.Second)
	c.Set(next)
	write(t, s, batch("example.com", next, 1))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	files := readFiles(t, s.cfg.Dir)
	if len(files) != 1 || !strings.Contains(sortedKeys(files)[0], "hour=18") {
		t.Fatalf("complete files after the hour changed: %v", sortedKeys(files))
	}
	if tmp := tmpFiles(s.cfg.Dir); len(tmp) != 1 || !strings.Contains(tmp[0], "hour=19") {
		t.Errorf("open files: %v", tmp)
	}
}

func TestFlushWritesToTemporaryFile(t *testing.T) {
	s, _ := openTest(t, Config{})
	write(t, s, batch("example.com", start, 10))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	tmp := tmpFiles(s.cfg.Dir)
	if len(tmp) != 1 {
		t.Fatalf("temporary files: %v", tmp)
	}
	if fi, err := os.Stat(tmp[0]); err != nil || fi.Size() == 0 {
		t.Errorf("flushed file is empty: %v", err)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	s, _ := openTest(t, Config{})
	write(t, s, batch("example.com", start, 1))
	for range 2 {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Append(t.Context(), batch("example.com", start, 1)); !errors.Is(err, sink.ErrClosed) {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}
	if n := len(readFiles(t, s.cfg.Dir)); n != 1 {
		t.Errorf("%d files after Close, want 1", n)
	}
}

func TestRejectsUnsafeSite(t *testing.T) {
	s, _ := openTest(t, Config{})
	for _, site := range []string{"", "..", ".hidden", "a/b", `a\b`, "../../etc", "a..b", "UPPER", "a b", "a\x00b"} {
		err := s.Append(t.Context(), batch(site, start, 1))
		if !errors.Is(err, ErrBadSite) {
			t.Errorf("site %q: err = %v, want ErrBadSite", site, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(s.cfg.Dir, "events")); len(entries) != 0 {
		t.Errorf("unsafe sites created %d entries", len(entries))
	}
}

func TestWriteErrorIsWrappedAndCounted(t *testing.T) {
	set := metrics.NewSet()
	s, _ := openTest(t, Config{Metrics: set})
	// A regular file where the site's directory should be: opening fails.
	if err := os.WriteFile(filepath.Join(s.cfg.Dir, "events", "site=example.com"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := s.Append(t.Context(), batch("example.com", start, 1))
	if err == nil || !strings.Contains(err.Error(), `writing batch for site "example.com": opening partition: creating partition directory`) {
		t.Fatalf("err = %v", err)
	}
	var buf bytes.Buffer
	set.WritePrometheus(&buf)
	if !strings.Contains(buf.String(), "crumbless_file_write_errors_total 1") {
		t.Errorf("error not counted:\n%s", buf.String())
	}
}

func TestOpenFailsOnUnwritableDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "events"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Dir: dir}); err == nil || !strings.Contains(err.Error(), "opening file sink: creating") {
		t.Errorf("Open = %v", err)
	}
	if _, err := Open(Config{}); err == nil {
		t.Error("Open without a directory succeeded")
	}
}

func TestWarnsAboutLeftovers(t *testing.T) {
	dir := t.TempDir()
	leftDir := filepath.Join(dir, "events", "site=a", "date=2026-11-23", "hour=18")
	if err := os.MkdirAll(leftDir, 0o755); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(leftDir, ".part-20261123T180000-00000000-000001.ndjson.zst.tmp")
	if err := os.WriteFile(left, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	openTest(t, Config{Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), left) {
		t.Errorf("no warning about %s in:\n%s", left, logs.String())
	}
}

// TestHammer writes from many goroutines while files roll; run with -race.
func TestHammer(t *testing.T) {
	s, _ := openTest(t, Config{MaxFileBytes: 2000})
	sites := []string{"a.com", "b.com", "c.com"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 {
				if err := s.Append(t.Context(), batch(sites[(g+i)%3], start, 5)); err != nil {
					t.Error(err)
					return
				}
				if i%25 == 0 {
					_ = s.Flush()
				}
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, rows := range readFiles(t, s.cfg.Dir) {
		total += len(rows)
	}
	if total != 4*100*5 {
		t.Errorf("read back %d rows, want %d", total, 4*100*5)
	}
}

func TestDailyPartitions(t *testing.T) {
	s, c := openTest(t, Config{Subdir: "consent", Daily: true})
	write(t, s, batch("example.com", start, 2))
	late := time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC)
	c.Set(late)
	write(t, s, batch("example.com", late, 1)) // same day: same file
	next := late.Add(2 * time.Second)
	c.Set(next)
	if err := s.Flush(); err != nil { // the day ended: the file completes
		t.Fatal(err)
	}
	write(t, s, batch("example.com", next, 1))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = filepath.WalkDir(s.cfg.Dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), manifestPrefix) {
			rel, _ := filepath.Rel(s.cfg.Dir, path)
			got = append(got, filepath.Dir(filepath.ToSlash(rel)))
		}
		return nil
	})
	if strings.Join(got, " ") != "consent/site=example.com/date=2026-11-23 consent/site=example.com/date=2026-11-24" {
		t.Errorf("files in %v", got)
	}
}
