package spool

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/crumbless/crumbless/internal/durable"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	// segExt names segments whose record CRCs include the record's
	// position; legacySegExt those written before (CRCs of length and
	// payload only), read and deleted as they were, never written.
	segExt       = ".wal"
	legacySegExt = ".seg"
	// freeName is a segment every consumer is past, kept to be reused as
	// the next segment (see newSegment).
	freeName   = "free-segment"
	headerSize = 8 // length, CRC-32C
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// recordCRC is the CRC-32C of a record's position (8 bytes, little
// endian), length field and payload; a legacy segment's leaves the
// position out. With the length in it, a run of zero bytes (a file
// extended but not written before a power loss) is never a valid empty
// record; with the position in it, a record left in a reused segment from
// its previous life is never valid either, even where it lines up with
// the records written since.
func recordCRC(pos uint64, legacy bool, length, payload []byte) uint32 {
	var crc uint32
	if !legacy {
		crc = updatePos(0, pos)
	}
	return crc32.Update(crc32.Update(crc, castagnoli, length), castagnoli, payload)
}

// updatePos is crc32.Update of pos's 8 little-endian bytes, a byte at a
// time through the table (a slice handed to crc32.Update would escape:
// an allocation per record).
func updatePos(crc uint32, pos uint64) uint32 {
	crc = ^crc
	for range 8 {
		crc = castagnoli[byte(crc)^byte(pos)] ^ crc>>8
		pos >>= 8
	}
	return ^crc
}

// segment is one segment file: the records from base on.
type segment struct {
	base   uint64
	size   int64 // bytes of records (of the file, for a segment not scanned)
	legacy bool  // a .seg segment
}

func (s *Spool) segPath(g segment) string {
	ext := segExt
	if g.legacy {
		ext = legacySegExt
	}
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("%020d%s", g.base, ext))
}

func (s *Spool) freePath() string { return filepath.Join(s.cfg.Dir, freeName) }

// recover lists the segments, repairs the last one and opens it for
// appending; a new spool gets its first segment. A last segment written by
// an earlier version is kept as it is, and appends go to a new one.
func (s *Spool) recover() error {
	if err := os.MkdirAll(s.cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("creating directory: %w", err)
	}
	if fi, err := os.Stat(s.freePath()); err == nil {
		s.free, s.freeBytes = true, fi.Size()
		s.live += fi.Size()
	}
	segs, err := s.listSegments()
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		return s.newSegment(s.cfg.FirstPos)
	}
	s.segs = segs
	for _, g := range segs[:len(segs)-1] {
		s.live += g.size
	}
	last := &s.segs[len(s.segs)-1]
	n, good, err := s.scan(last)
	if err != nil {
		return err
	}
	s.next = last.base + n
	f, err := os.OpenFile(s.segPath(*last), os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("opening segment: %w", err)
	}
	if good < last.size {
		if err := s.truncateTail(f, last, good); err != nil {
			f.Close()
			return err
		}
	}
	s.live += last.size
	if last.legacy {
		if err := f.Close(); err != nil {
			return fmt.Errorf("closing segment: %w", err)
		}
		return s.newSegment(s.next)
	}
	if _, err := f.Seek(last.size, io.SeekStart); err != nil {
		f.Close()
		return fmt.Errorf("seeking segment: %w", err)
	}
	return s.activate(f)
}

// truncateTail drops what follows the last whole record and logs it: a
// record torn by a crash, or what a reused segment held before. Neither
// was acknowledged; the records before it were, and are kept.
func (s *Spool) truncateTail(f *os.File, g *segment, good int64) error {
	s.log.Warn("spool: dropped a torn record at the end of the last segment (a crash during a write, or bytes left in a reused segment; never acknowledged)",
		"segment", s.segPath(*g), "offset", good, "bytes", g.size-good)
	if err := f.Truncate(good); err != nil {
		return fmt.Errorf("truncating torn tail: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing truncated segment: %w", err)
	}
	g.size = good
	return nil
}

func (s *Spool) listSegments() ([]segment, error) {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("listing segments: %w", err)
	}
	var segs []segment
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") {
			_ = os.Remove(filepath.Join(s.cfg.Dir, name)) // a cursor write cut short
			continue
		}
		digits, ok := strings.CutSuffix(name, segExt)
		legacy := false
		if !ok {
			digits, ok = strings.CutSuffix(name, legacySegExt)
			legacy = true
		}
		if !ok || e.IsDir() {
			continue
		}
		base, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || base == 0 {
			return nil, fmt.Errorf("unexpected segment name %q", name)
		}
		fi, err := e.Info()
		if err != nil {
			return nil, fmt.Errorf("reading segment size: %w", err)
		}
		segs = append(segs, segment{base: base, size: fi.Size(), legacy: legacy})
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmpU64(a.base, b.base) })
	for i := 1; i < len(segs); i++ {
		if segs[i].base == segs[i-1].base {
			return nil, fmt.Errorf("two segments start at record %d", segs[i].base)
		}
	}
	return segs, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// scan reads g's records and returns how many are whole and the offset
// just past the last of them.
func (s *Spool) scan(g *segment) (n uint64, good int64, err error) {
	f, err := os.Open(s.segPath(*g))
	if err != nil {
		return 0, 0, fmt.Errorf("opening segment: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var buf []byte
	for {
		var size int
		buf, size, err = readRecord(br, buf, s.cfg.MaxRecordBytes, g.base+n, g.legacy)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, errTorn) {
				return n, good, nil
			}
			return n, good, fmt.Errorf("scanning segment: %w", err)
		}
		n++
		good += int64(size)
	}
}

// errTorn marks a record that is cut short or does not match its CRC.
var errTorn = errors.New("torn record")

// readRecord reads the record at position pos into buf[:0] and returns it
// with its size on disk. A clean end of file is io.EOF; a partial or
// corrupt record, or one of another position, errTorn.
func readRecord(br *bufio.Reader, buf []byte, maxLen int, pos uint64, legacy bool) ([]byte, int, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		if err == io.EOF {
			return buf, 0, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return buf, 0, errTorn
		}
		return buf, 0, err
	}
	n := binary.LittleEndian.Uint32(hdr[0:])
	if int64(n) > int64(maxLen) {
		return buf, 0, errTorn
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(br, buf); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return buf, 0, errTorn
		}
		return buf, 0, err
	}
	if recordCRC(pos, legacy, hdr[:4], buf) != binary.LittleEndian.Uint32(hdr[4:]) {
		return buf, 0, errTorn
	}
	return buf, headerSize + int(n), nil
}

// newSegment starts the segment at base, makes its directory entry
// durable, and makes it the active one. It reuses the free segment when
// there is one: writing over blocks a file already has, its fdatasyncs
// flush data alone, with no journal commit for the file's size or extents
// (about half the CPU and wall time per group commit). The old records it
// still holds never pass for new ones (see recordCRC). The caller holds no
// lock or is the committer.
func (s *Spool) newSegment(base uint64) error {
	path := s.segPath(segment{base: base})
	s.mu.Lock()
	reuse := s.free
	s.mu.Unlock()
	var f *os.File
	var err error
	if reuse {
		if err = os.Rename(s.freePath(), path); err == nil {
			f, err = os.OpenFile(path, os.O_WRONLY, 0)
		}
		if err != nil {
			return fmt.Errorf("reusing the free segment: %w", err)
		}
	} else if f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err != nil {
		return fmt.Errorf("creating segment: %w", err)
	}
	if err := durable.SyncDir(s.cfg.Dir); err != nil {
		f.Close()
		return err
	}
	if s.active != nil {
		if err := s.active.Close(); err != nil {
			f.Close()
			return fmt.Errorf("closing segment: %w", err)
		}
		s.active = nil
	}
	s.mu.Lock()
	if reuse {
		// Its bytes count until they are written over: the stale rest of
		// a reused segment (less than one segment) is not counted.
		s.live -= s.freeBytes
		s.free, s.freeBytes = false, 0
		s.counters.reused.Inc()
	}
	s.segs = append(s.segs, segment{base: base})
	s.next = base
	s.mu.Unlock()
	return s.activate(f)
}

// activate makes f the segment appended to.
func (s *Spool) activate(f *os.File) error {
	raw, err := f.SyscallConn()
	if err == nil {
		err = raw.Control(func(fd uintptr) { s.activeFD = int(fd) })
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("opening segment: %w", err)
	}
	s.active = f
	return nil
}

// collect deletes the segments every consumer is past, but never the one
// being written; the first of them becomes the free segment when there is
// none.
func (s *Spool) collect() error {
	s.mu.Lock()
	floor := s.floorLocked()
	var drop []segment
	for len(s.segs) > 1 && s.segs[1].base-1 <= floor {
		drop = append(drop, s.segs[0])
		s.segs = s.segs[1:]
	}
	keep := !s.free && !s.closed
	s.mu.Unlock()
	if len(drop) == 0 {
		return nil
	}
	var errs []error
	kept, freeBytes := false, int64(0)
	for _, g := range drop {
		if keep && !kept && !g.legacy {
			if size, err := s.keepFree(g); err == nil {
				kept, freeBytes = true, size
				continue
			}
		}
		if err := os.Remove(s.segPath(g)); err != nil && !os.IsNotExist(err) {
			errs = append(errs, fmt.Errorf("deleting segment: %w", err))
		}
	}
	errs = append(errs, durable.SyncDir(s.cfg.Dir))
	s.mu.Lock()
	for _, g := range drop {
		s.live -= g.size
	}
	if kept {
		s.free, s.freeBytes = true, freeBytes
		s.live += freeBytes
	}
	s.full = false
	s.mu.Unlock()
	s.counters.deleted.Add(len(drop))
	return errors.Join(errs...)
}

// keepFree makes g the free segment and returns its size.
func (s *Spool) keepFree(g segment) (int64, error) {
	if err := os.Rename(s.segPath(g), s.freePath()); err != nil {
		return 0, err
	}
	fi, err := os.Stat(s.freePath())
	if err != nil {
		os.Remove(s.freePath())
		return 0, err
	}
	return fi.Size(), nil
}

// floorLocked returns the lowest cursor of all consumers.
func (s *Spool) floorLocked() uint64 {
	floor := s.next - 1
	for _, r := range s.readers {
		floor = min(floor, r.committed.Load())
	}
	return floor
}
