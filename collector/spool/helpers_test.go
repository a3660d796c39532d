package spool

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metrics"
)

// openTest opens a spool in dir with small segments and a log kept in logs.
func openTest(t testing.TB, dir string, modify func(*Config)) (*Spool, *bytes.Buffer) {
	t.Helper()
	logs := &bytes.Buffer{}
	cfg := Config{Dir: dir, Consumers: []string{"files"}, SegmentBytes: 4 << 10, BudgetBytes: 1 << 20,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Metrics: metrics.NewSet()}
	if modify != nil {
		modify(&cfg)
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, logs
}

func rec(i int) []byte { return fmt.Appendf(nil, "record %05d %s", i, strings.Repeat("x", i%50)) }

func appendN(t testing.TB, s *Spool, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		pos, err := s.Append(t.Context(), rec(i))
		if err != nil {
			t.Fatal(err)
		}
		if pos != uint64(i) {
			t.Fatalf("record %d got position %d", i, pos)
		}
	}
}

// readN reads n records and checks they are rec(from)...
func readN(t testing.TB, r *Reader, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		got, err := r.Next(t.Context())
		if err != nil {
			t.Fatalf("reading record %d: %v", i, err)
		}
		if got.Pos != uint64(i) || !bytes.Equal(got.Data, rec(i)) {
			t.Fatalf("record %d: got %d %q", i, got.Pos, got.Data)
		}
	}
}

func metric(set *metrics.Set, name string) string {
	var buf bytes.Buffer
	set.WritePrometheus(&buf)
	for line := range strings.Lines(buf.String()) {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}
