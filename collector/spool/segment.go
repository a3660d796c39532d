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
	segExt     = ".seg"
	headerSize = 8 // length, CRC-32C
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// recordCRC is the CRC-32C of a record's length field and payload. With
// the length in it, a run of zero bytes (a file extended but not written
// before a power loss) is never a valid empty record.
func recordCRC(length, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(length, castagnoli), castagnoli, payload)
}

// segment is one segment file: the records from base on.
type segment struct {
	base uint64
	size int64
}

func (s *Spool) segPath(base uint64) string {
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("%020d%s", base, segExt))
}

// recover lists the segments, repairs the last one and opens it for
// appending; a new spool gets its first segment.
func (s *Spool) recover() error {
	if err := os.MkdirAll(s.cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("creating directory: %w", err)
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
	f, err := os.OpenFile(s.segPath(last.base), os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("opening segment: %w", err)
	}
	s.active = f
	if good < last.size {
		if err := s.truncateTail(f, last, good); err != nil {
			return err
		}
	}
	if _, err := f.Seek(last.size, io.SeekStart); err != nil {
		return fmt.Errorf("seeking segment: %w", err)
	}
	s.live += last.size
	return nil
}

// truncateTail drops a torn tail and logs it; the records before it were
// acknowledged and are kept.
func (s *Spool) truncateTail(f *os.File, g *segment, good int64) error {
	s.log.Warn("spool: dropped a torn record at the end of the last segment (a crash during a write; it was never acknowledged)",
		"segment", s.segPath(g.base), "offset", good, "bytes", g.size-good)
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
		segs = append(segs, segment{base: base, size: fi.Size()})
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmpU64(a.base, b.base) })
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
	f, err := os.Open(s.segPath(g.base))
	if err != nil {
		return 0, 0, fmt.Errorf("opening segment: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var buf []byte
	for {
		var size int
		buf, size, err = readRecord(br, buf, s.cfg.MaxRecordBytes)
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

// readRecord reads one record into buf[:0] and returns it with its size on
// disk. A clean end of file is io.EOF; a partial or corrupt record errTorn.
func readRecord(br *bufio.Reader, buf []byte, maxLen int) ([]byte, int, error) {
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
	if recordCRC(hdr[:4], buf) != binary.LittleEndian.Uint32(hdr[4:]) {
		return buf, 0, errTorn
	}
	return buf, headerSize + int(n), nil
}

// newSegment creates the segment starting at base, makes its directory
// entry durable, and makes it the active one. The caller holds no lock or
// is the committer.
func (s *Spool) newSegment(base uint64) error {
	f, err := os.OpenFile(s.segPath(base), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
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
	}
	s.mu.Lock()
	s.active = f
	s.segs = append(s.segs, segment{base: base})
	s.next = base
	s.mu.Unlock()
	return nil
}

// collect deletes the segments every consumer is past, but never the one
// being written.
func (s *Spool) collect() error {
	s.mu.Lock()
	floor := s.floorLocked()
	var drop []segment
	for len(s.segs) > 1 && s.segs[1].base-1 <= floor {
		drop = append(drop, s.segs[0])
		s.segs = s.segs[1:]
	}
	s.mu.Unlock()
	if len(drop) == 0 {
		return nil
	}
	var errs []error
	for _, g := range drop {
		if err := os.Remove(s.segPath(g.base)); err != nil && !os.IsNotExist(err) {
			errs = append(errs, fmt.Errorf("deleting segment: %w", err))
		}
	}
	errs = append(errs, durable.SyncDir(s.cfg.Dir))
	s.mu.Lock()
	for _, g := range drop {
		s.live -= g.size
	}
	s.full = false
	s.mu.Unlock()
	s.counters.deleted.Add(len(drop))
	return errors.Join(errs...)
}

// floorLocked returns the lowest cursor of all consumers.
func (s *Spool) floorLocked() uint64 {
	floor := s.next - 1
	for _, r := range s.readers {
		floor = min(floor, r.committed.Load())
	}
	return floor
}
