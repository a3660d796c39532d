package spool

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// same is record i, every one of the same size: in a reused segment the
// old records line up exactly with the new ones.
func same(i int) []byte { return fmt.Appendf(nil, "same-size record %08d", i) }

// copyDir copies the files of src into dst: the state a crash would leave,
// every append having returned after its fsync.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReusedSegmentNeverReplaysOldRecords: a consumed segment is reused as
// the next one; after a crash with the reused segment partly written over,
// recovery finds exactly the records appended, none of the old ones that
// still follow them in the file, although they line up record for record.
func TestReusedSegmentNeverReplaysOldRecords(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	n := 0
	put := func(count int) {
		t.Helper()
		for range count {
			n++
			if pos, err := s.Append(t.Context(), same(n)); err != nil || pos != uint64(n) {
				t.Fatalf("append %d: %d, %v", n, pos, err)
			}
		}
	}
	put(400) // several 4 KiB segments
	r, _ := s.Reader("files")
	for i := 1; i <= n; i++ {
		if _, err := r.Next(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(uint64(n)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, freeName)); err != nil {
		t.Fatalf("no free segment kept: %v", err)
	}
	// Fill the active segment, then a few records into the reused one.
	for metric(s.cfg.Metrics, "crumbless_spool_segments_reused_total") == "0" {
		put(1)
	}
	put(5)
	crashed := t.TempDir()
	copyDir(t, dir, crashed)
	var reused string
	m, _ := filepath.Glob(filepath.Join(crashed, "*.wal"))
	for _, p := range m {
		if fi, _ := os.Stat(p); fi.Size() > 4<<10 {
			reused = p
		}
	}
	if reused == "" {
		t.Fatalf("no segment holds old bytes past its records: %v", m)
	}

	s2, logs := openTest(t, crashed, nil)
	if s2.Last() != uint64(n) {
		t.Fatalf("Last after the crash = %d, want %d", s2.Last(), n)
	}
	if !strings.Contains(logs.String(), "dropped a torn record") {
		t.Errorf("the old bytes cut were not logged:\n%s", logs)
	}
	r2, _ := s2.Reader("files")
	for i := 401; i <= n; i++ {
		got, err := r2.Next(t.Context())
		if err != nil || got.Pos != uint64(i) || !bytes.Equal(got.Data, same(i)) {
			t.Fatalf("record %d: %d %q %v", i, got.Pos, got.Data, err)
		}
	}
	if pos, err := s2.Append(t.Context(), same(n+1)); err != nil || pos != uint64(n+1) {
		t.Fatalf("append after recovery: %d, %v", pos, err)
	}
}

// TestCleanCloseTrimsTheReusedSegment: after a clean close nothing old is
// left after the records, and the next start logs nothing.
func TestCleanCloseTrimsTheReusedSegment(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	appendN(t, s, 1, 300)
	r, _ := s.Reader("files")
	readN(t, r, 1, 300)
	if err := r.Commit(300); err != nil {
		t.Fatal(err)
	}
	i := 301
	for ; metric(s.cfg.Metrics, "crumbless_spool_segments_reused_total") == "0"; i++ {
		appendN(t, s, i, 1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, logs := openTest(t, dir, nil)
	if s.Last() != uint64(i-1) || logs.Len() != 0 {
		t.Fatalf("Last %d (want %d), logs:\n%s", s.Last(), i-1, logs)
	}
	r, _ = s.Reader("files")
	readN(t, r, 301, i-301)
}

// TestLegacySegmentsReadThenDeleted: segments written before positions
// were in the CRC (.seg) are read back, appends go to a new .wal segment,
// and the old one is deleted, not reused, once consumed.
func TestLegacySegmentsReadThenDeleted(t *testing.T) {
	dir := t.TempDir()
	var file bytes.Buffer
	w := bufio.NewWriter(&file)
	for i := 1; i <= 10; i++ {
		var hdr [headerSize]byte
		binary.LittleEndian.PutUint32(hdr[:], uint32(len(rec(i))))
		binary.LittleEndian.PutUint32(hdr[4:], recordCRC(0, true, hdr[:4], rec(i)))
		w.Write(hdr[:])
		w.Write(rec(i))
	}
	w.Flush()
	legacy := filepath.Join(dir, "00000000000000000001.seg")
	if err := os.WriteFile(legacy, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	s, logs := openTest(t, dir, nil)
	if s.Last() != 10 || logs.Len() != 0 {
		t.Fatalf("Last %d, logs:\n%s", s.Last(), logs)
	}
	appendN(t, s, 11, 5)
	if _, err := os.Stat(filepath.Join(dir, "00000000000000000011.wal")); err != nil {
		t.Fatalf("appends did not go to a new segment: %v", err)
	}
	r, _ := s.Reader("files")
	readN(t, r, 1, 15)
	if err := r.Commit(15); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Errorf("legacy segment still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, freeName)); !os.IsNotExist(err) {
		t.Errorf("a legacy segment was kept for reuse: %v", err)
	}
}

func TestUpdatePosIsCRCOfTheBytes(t *testing.T) {
	for _, pos := range []uint64{0, 1, 255, 1 << 40, ^uint64(0) - 7} {
		var p [8]byte
		binary.LittleEndian.PutUint64(p[:], pos)
		for _, crc := range []uint32{0, 0xdeadbeef} {
			if got, want := updatePos(crc, pos), crc32.Update(crc, castagnoli, p[:]); got != want {
				t.Errorf("pos %d crc %x: %x, want %x", pos, crc, got, want)
			}
		}
	}
}

// TestTailingAReusedSegment: a reader that keeps up with the appends into
// a reused segment reads each new record, never the old bytes that
// followed the committed ones when it last read.
func TestTailingAReusedSegment(t *testing.T) {
	dir := t.TempDir()
	s, _ := openTest(t, dir, nil)
	r, _ := s.Reader("files")
	n := 0
	step := func() {
		t.Helper()
		n++
		if _, err := s.Append(t.Context(), same(n)); err != nil {
			t.Fatal(err)
		}
		got, err := r.Next(t.Context())
		if err != nil || got.Pos != uint64(n) || !bytes.Equal(got.Data, same(n)) {
			t.Fatalf("record %d: %d %q %v", n, got.Pos, got.Data, err)
		}
	}
	for range 400 {
		step()
	}
	if err := r.Commit(uint64(n)); err != nil {
		t.Fatal(err)
	}
	for metric(s.cfg.Metrics, "crumbless_spool_segments_reused_total") == "0" {
		step()
	}
	for range 100 { // through the reused segment and into the next
		step()
	}
}
