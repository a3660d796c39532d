package filesink

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metrics"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/sinktest"
)

// TestConformance runs the sinks' conformance suite on the file sink, as
// the collector opens it (spooled, exactly-once through positions), small
// files so that batches roll them, read back from the complete files.
func TestConformance(t *testing.T) {
	sinktest.Run(t, sinktest.Harness{Open: func(t *testing.T) (sink.Sink, func(*testing.T) []sinktest.Row) {
		dir := t.TempDir()
		s, err := Open(Config{Dir: dir, Spooled: true, MaxFileBytes: 64 << 10,
			Logger: slog.New(slog.DiscardHandler), Metrics: metrics.NewSet()})
		if err != nil {
			t.Fatal(err)
		}
		return s, func(t *testing.T) []sinktest.Row { return readRows(t, filepath.Join(dir, "events")) }
	}})
}

// readRows reads every row of the complete files below root.
func readRows(t *testing.T, root string) []sinktest.Row {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var rows []sinktest.Row
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, fileExt) || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		plain, err := dec.DecodeAll(raw, nil)
		if err != nil {
			return err
		}
		for line := range strings.Lines(string(plain)) {
			rows = append(rows, sinktest.Row{Kind: sink.KindEvents, Line: strings.TrimSuffix(line, "\n")})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
