package filesink

import (
	"math"
	"path/filepath"
	"regexp"
	"testing"
)

func TestPositionedNames(t *testing.T) {
	name := positionedName("part-20261123T182001-0a1b2c3d-000001.ndjson.zst", 42, 97)
	if name != "part-20261123T182001-0a1b2c3d-000001-p42-97.ndjson.zst" {
		t.Fatalf("name %q", name)
	}
	if lo, hi, ok := parsePositions(name); !ok || lo != 42 || hi != 97 {
		t.Errorf("parsed %d %d %v", lo, hi, ok)
	}
	for _, bad := range []string{"part-20261123T182001-0a1b2c3d-000001.ndjson.zst", "part-x-p5-3.ndjson.zst",
		"part-x-p0-3.ndjson.zst", ".part-x-p1-3.ndjson.zst.tmp", "other-p1-2.ndjson.zst"} {
		if _, _, ok := parsePositions(bad); ok {
			t.Errorf("parsed %q", bad)
		}
	}
	if positionedName("part-a.ndjson.zst", 0, 0) != "part-a.ndjson.zst" {
		t.Error("a file without positions was renamed")
	}
}

var positioned = regexp.MustCompile(`/part-\d{8}T\d{6}-[0-9a-f]{8}-\d{6}-p(\d+)-(\d+)\.ndjson\.zst$`)

// TestDurableSkipAndReset follows positions through a spooled sink: what
// is durable, what a new sink skips, and what Reset drops.
func TestDurableSkipAndReset(t *testing.T) {
	s, _ := openTest(t, Config{Spooled: true})
	a, b := batch("a.com", start, 2), batch("b.com", start, 2)
	for pos := uint64(1); pos <= 4; pos++ {
		x := a
		if pos%2 == 0 {
			x = b
		}
		x.Pos = pos
		write(t, s, x)
	}
	if d, lost := s.Durable(); d != 0 || lost {
		t.Fatalf("Durable with both files open = %d, %v", d, lost)
	}
	// Complete a.com's file only: b.com's (from 2) is still open.
	s.mu.Lock()
	var pa *partition
	for key, p := range s.parts {
		if p.site == "a.com" {
			pa = s.detachLocked(key, p)
		}
	}
	s.mu.Unlock()
	if err := s.complete(pa); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Durable(); d != 1 {
		t.Errorf("Durable = %d, want 1 (b.com's file holds 2)", d)
	}
	files := readFiles(t, s.cfg.Dir)
	if len(files) != 1 || !positioned.MatchString(filepath.ToSlash(sortedKeys(files)[0])) {
		t.Fatalf("files %v", sortedKeys(files))
	}

	// A new sink (a restart) indexes a.com's range and removes b.com's
	// temporary file; the replay skips 1 and 3 and writes 2 and 4.
	s2, _ := openTest(t, Config{Spooled: true, Dir: s.cfg.Dir})
	if len(tmpFiles(s.cfg.Dir)) != 0 || s2.MaxPublished() != 3 {
		t.Fatalf("temporary files %v, max published %d", tmpFiles(s.cfg.Dir), s2.MaxPublished())
	}
	for pos := uint64(1); pos <= 4; pos++ {
		x := a
		if pos%2 == 0 {
			x = b
		}
		x.Pos = pos
		write(t, s2, x)
	}
	if d, _ := s2.Durable(); d != 1 {
		t.Errorf("Durable after the replay = %d, want 1", d)
	}
	// Reset drops b.com's open file; handing 2 and 4 again completes it.
	if err := s2.Reset(1); err != nil {
		t.Fatal(err)
	}
	if d, lost := s2.Durable(); d != math.MaxUint64 || lost || len(tmpFiles(s.cfg.Dir)) != 0 {
		t.Errorf("after Reset: Durable %d, %v, temporary files %v", d, lost, tmpFiles(s.cfg.Dir))
	}
	for _, pos := range []uint64{2, 3, 4} {
		x := a
		if pos%2 == 0 {
			x = b
		}
		x.Pos = pos
		write(t, s2, x)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if d, _ := s2.Durable(); d != math.MaxUint64 { // nothing pending: no bound
		t.Errorf("Durable after Close = %d, want no bound", d)
	}
	rows := map[string]int{}
	for _, rs := range readFiles(t, s.cfg.Dir) {
		for _, r := range rs {
			rows[r.Site]++
		}
	}
	if rows["a.com"] != 4 || rows["b.com"] != 4 {
		t.Errorf("rows per site %v, want 4 each (two batches of two)", rows)
	}
	s2.Committed(4)
	if len(s2.published) != 0 {
		t.Errorf("ranges kept past the cursor: %v", s2.published)
	}
}
