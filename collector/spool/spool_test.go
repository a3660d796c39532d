package spool

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendReadCommitReopen(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	appendN(t, s, 1, 300)
	r, err := s.Reader("files")
	if err != nil {
		t.Fatal(err)
	}
	readN(t, r, 1, 120)
	if err := r.Commit(100); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, _ = openTest(t, dir, nil)
	if s.Last() != 300 {
		t.Fatalf("Last after reopen = %d", s.Last())
	}
	r, _ = s.Reader("files")
	readN(t, r, 101, 200) // after the cursor, not after what was read
	appendN(t, s, 301, 5)
	readN(t, r, 301, 5)
}

func TestSegmentsRotateAndAreDeleted(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	appendN(t, s, 1, 500) // about 30 KiB: several 4 KiB segments
	segs := func() int { m, _ := filepath.Glob(filepath.Join(dir, "*.wal")); return len(m) }
	if n := segs(); n < 5 {
		t.Fatalf("%d segments, want several", n)
	}
	r, _ := s.Reader("files")
	readN(t, r, 1, 500)
	if err := r.Commit(500); err != nil {
		t.Fatal(err)
	}
	if n := segs(); n != 1 {
		t.Errorf("%d segments once everything is committed, want 1 (the active one)", n)
	}
	if got := metric(s.cfg.Metrics, "crumbless_spool_records"); got != "0" {
		t.Errorf("depth %s", got)
	}
}

func TestTwoConsumersKeepSegmentsUntilBothPass(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, func(c *Config) { c.Consumers = []string{"files", "kafka"} })
	appendN(t, s, 1, 500)
	a, _ := s.Reader("files")
	b, _ := s.Reader("kafka")
	readN(t, a, 1, 500)
	a.Commit(500)
	readN(t, b, 1, 10) // still has segment 1 to read
	if m, _ := filepath.Glob(filepath.Join(dir, "*.wal")); len(m) < 5 {
		t.Fatalf("segments deleted under a lagging consumer: %d left", len(m))
	}
	readN(t, b, 11, 490)
	b.Commit(500)
	if m, _ := filepath.Glob(filepath.Join(dir, "*.wal")); len(m) != 1 {
		t.Fatalf("%d segments left", len(m))
	}
}

func TestRecoveryTruncatesTornTail(t *testing.T) {
	for _, tt := range []struct {
		name string
		tear func(path string, size int64)
	}{
		{"short payload", func(p string, size int64) { os.Truncate(p, size-3) }},
		{"short header", func(p string, size int64) {
			f, _ := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			f.Write([]byte{9, 0, 0})
			f.Close()
		}},
		{"zeros after the last record", func(p string, size int64) { os.Truncate(p, size+4096) }},
		{"bad crc", func(p string, size int64) {
			f, _ := os.OpenFile(p, os.O_WRONLY, 0)
			f.WriteAt([]byte{'#'}, size-1)
			f.Close()
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := openTest(t, dir, func(c *Config) { c.SegmentBytes = 1 << 18 })
			appendN(t, s, 1, 20)
			s.Close()
			path := filepath.Join(dir, "00000000000000000001.wal")
			fi, _ := os.Stat(path)
			tt.tear(path, fi.Size())
			s, logs := openTest(t, dir, func(c *Config) { c.SegmentBytes = 1 << 18 })
			want := uint64(20)
			if tt.name != "short header" && tt.name != "zeros after the last record" {
				want = 19 // the last record was torn
			}
			if s.Last() != want {
				t.Fatalf("Last = %d, want %d", s.Last(), want)
			}
			if !strings.Contains(logs.String(), "dropped a torn record") {
				t.Errorf("nothing logged:\n%s", logs)
			}
			r, _ := s.Reader("files")
			readN(t, r, 1, int(want))
			appendN(t, s, int(want)+1, 3) // appends continue after the good records
			readN(t, r, int(want)+1, 3)
		})
	}
}

func TestBudgetFailsFastThenFrees(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, func(c *Config) { c.BudgetBytes = 16 << 10 })
	i := 1
	for ; ; i++ {
		_, err := s.Append(t.Context(), rec(i))
		if errors.Is(err, ErrFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !s.Full() {
		t.Error("Full() = false after ErrFull")
	}
	r, _ := s.Reader("files")
	readN(t, r, 1, i-1)
	if err := r.Commit(uint64(i - 1)); err != nil {
		t.Fatal(err)
	}
	if s.Full() {
		t.Error("still full after the consumer caught up")
	}
	if pos, err := s.Append(t.Context(), rec(i)); err != nil || pos != uint64(i) {
		t.Fatalf("after freeing: %d, %v", pos, err)
	}
}

func TestNextWaitsAndEndsOnClose(t *testing.T) {
	s, _ := openTest(t, t.TempDir(), nil)
	r, _ := s.Reader("files")
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := r.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on an empty spool: %v", err)
	}
	go func() { time.Sleep(10 * time.Millisecond); s.Append(context.Background(), rec(1)) }()
	readN(t, r, 1, 1)
	s.Close()
	if _, err := r.Next(t.Context()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next after Close: %v", err)
	}
	if _, err := s.Append(t.Context(), rec(2)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Append after Close: %v", err)
	}
}

func TestConcurrentAppendsAreGrouped(t *testing.T) {
	s, _ := openTest(t, t.TempDir(), func(c *Config) { c.SegmentBytes = 1 << 20; c.BudgetBytes = 64 << 20 })
	const goroutines, each = 32, 50
	var wg sync.WaitGroup
	seen := make([]bool, goroutines*each+1)
	var mu sync.Mutex
	for range goroutines {
		wg.Go(func() {
			for i := range each {
				pos, err := s.Append(t.Context(), rec(i))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[pos] {
					t.Errorf("position %d given twice", pos)
				}
				seen[pos] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	fsyncs := metric(s.cfg.Metrics, "crumbless_spool_fsyncs_total")
	t.Logf("%d appends, %s fsyncs", goroutines*each, fsyncs)
	if fsyncs == "" || len(fsyncs) >= 4 { // fewer than 1000
		t.Errorf("%s fsyncs for %d appends", fsyncs, goroutines*each)
	}
	r, _ := s.Reader("files")
	for i := 1; i <= goroutines*each; i++ {
		got, err := r.Next(t.Context())
		if err != nil || got.Pos != uint64(i) {
			t.Fatalf("record %d: %v %v", i, got.Pos, err)
		}
	}
}

func TestFirstPosAndConfigChecks(t *testing.T) {
	s, _ := openTest(t, t.TempDir(), func(c *Config) { c.FirstPos = 1000 })
	if pos, err := s.Append(t.Context(), rec(1)); err != nil || pos != 1000 {
		t.Fatalf("first position %d, %v", pos, err)
	}
	for _, cfg := range []Config{
		{},
		{Dir: t.TempDir()},
		{Dir: t.TempDir(), Consumers: []string{"a/b"}},
		{Dir: t.TempDir(), Consumers: []string{"a", "a"}},
		{Dir: t.TempDir(), Consumers: []string{"a"}, BudgetBytes: 1 << 20, SegmentBytes: 1 << 19},
	} {
		if _, err := Open(cfg); err == nil {
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
}

// TestScanReadsEveryRecordKept: Scan returns the records of every segment
// still on disk, in order, whatever the cursor, and moves no cursor.
func TestScanReadsEveryRecordKept(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	appendN(t, s, 1, 300)
	r, _ := s.Reader("files")
	readN(t, r, 1, 200)
	if err := r.Commit(200); err != nil {
		t.Fatal(err)
	}
	first := s.segs[0].base
	if first <= 1 {
		t.Fatalf("no segment was deleted (oldest %d)", first)
	}
	next := int(first)
	err := s.Scan(t.Context(), func(got Record) error {
		if got.Pos != uint64(next) || string(got.Data) != string(rec(next)) {
			t.Fatalf("record %d: %d %q", next, got.Pos, got.Data)
		}
		next++
		return nil
	})
	if err != nil || next != 301 {
		t.Fatalf("scanned to %d: %v", next, err)
	}
	if r.Committed() != 200 {
		t.Errorf("cursor moved to %d", r.Committed())
	}
}
