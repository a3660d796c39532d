package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/internal/rig"
)

// binary is the collector built once for the whole package by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crumbless-e2e-")
	if err != nil {
		panic(err)
	}
	if binary, err = rig.BuildCollector(dir); err != nil {
		os.Stderr.WriteString("e2e: " + err.Error() + "\n")
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// collector is a running collector process.
type collector struct {
	*rig.Collector
	t *testing.T
}

// startCollector runs `crumbless serve -listen 127.0.0.1:0 ARGS...` and waits
// for it to say where it listens.
func startCollector(t *testing.T, args ...string) *collector {
	t.Helper()
	c, err := rig.StartCollector(binary, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Kill)
	return &collector{c, t}
}

// stop sends SIGTERM and requires a clean exit: every file is complete.
func (c *collector) stop() {
	c.t.Helper()
	if err := c.Stop(); err != nil {
		c.t.Fatalf("%v\n%s", err, c.Log())
	}
}

// row is one output event, as a data team reads it.
type row map[string]any

func (r row) str(key string) string { s, _ := r[key].(string); return s }

// readRows decodes every complete output file under dir/events.
func readRows(t *testing.T, dir string) []row {
	t.Helper()
	var rows []row
	for _, raw := range readOutputs(t, dir) {
		for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var r row
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatalf("output line is not JSON: %v: %s", err, line)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// readOutputs returns the decompressed content of every complete output file,
// keyed by its path relative to dir, and fails on a partial (.tmp) file. It
// skips the partitions' manifests (names starting with "_"), as readers do.
func readOutputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !strings.HasSuffix(path, ".ndjson.zst") {
			out[rel] = nil // noted so callers can tell what else is there
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := dec.Reset(f); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		b, err := io.ReadAll(dec)
		if err != nil {
			t.Fatalf("%s is not a complete zstd stream: %v", rel, err)
		}
		out[rel] = b
		return nil
	})
	return out
}
