package filesink

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/sink"
)

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

var start = time.Date(2026, 11, 23, 18, 20, 1, 0, time.UTC)

// openTest opens a Sink in a temporary directory with a fake clock and a
// flush loop too slow to run during the test.
func openTest(t *testing.T, cfg Config) (*Sink, *clock) {
	t.Helper()
	c := &clock{now: start}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cfg.Now = c.Now
	cfg.FlushInterval = time.Hour
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.NewSet()
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

// batch returns a batch of n rows {"site":SITE,"n":i}.
func batch(site string, at time.Time, n int) *sink.Record {
	b := &sink.Record{Site: []byte(site), ReceivedAt: at, Events: n}
	for i := range n {
		b.Rows = fmt.Appendf(b.Rows, `{"site":%q,"n":%d}`+"\n", site, i)
	}
	return b
}

func write(t *testing.T, s *Sink, b *sink.Record) {
	t.Helper()
	if err := s.Append(t.Context(), b); err != nil {
		t.Fatal(err)
	}
}

type row struct {
	Site string
	N    int
}

// readFiles decodes every complete NDJSON file under dir/events, by path
// relative to dir.
func readFiles(t *testing.T, dir string) map[string][]row {
	t.Helper()
	out := map[string][]row{}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	_ = filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), fileExt) {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := dec.DecodeAll(raw, nil)
		if err != nil {
			t.Fatalf("decoding %s: %v", path, err)
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = decodeRows(t, plain)
		return nil
	})
	return out
}

func decodeRows(t *testing.T, plain []byte) []row {
	t.Helper()
	var rows []row
	sc := bufio.NewScanner(bytes.NewReader(plain))
	for sc.Scan() {
		var r row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("row %q: %v", sc.Bytes(), err)
		}
		rows = append(rows, r)
	}
	return rows
}

// tmpFiles lists the temporary files under dir.
func tmpFiles(dir string) []string {
	var tmp []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isTmpName(d.Name()) {
			tmp = append(tmp, path)
		}
		return nil
	})
	return tmp
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
