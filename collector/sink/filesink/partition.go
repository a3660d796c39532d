package filesink

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"
)

// partition is one open file: the rows of one site and one hour.
type partition struct {
	site   string
	hour   int64 // bucketOf its rows
	daily  bool
	opened time.Time
	dir    string
	final  string // file name once complete
	f      *os.File
	enc    *zstd.Encoder
	rows   int64 // uncompressed bytes written
	disk   *counter
	lo, hi uint64    // spool positions of the first and last batch; 0 when none
	stats  fileStats // rows and received_at range of the batches written
}

// counter counts and hashes the bytes written through it.
type counter struct {
	w io.Writer
	n int64
	h hash.Hash
}

func newCounter(w io.Writer) *counter { return &counter{w: w, h: sha256.New()} }

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.h.Write(p[:n])
	return n, err
}

// sum returns the SHA-256 of the bytes written, in hex.
func (c *counter) sum() string { return hex.EncodeToString(c.h.Sum(nil)) }

// openPartition creates the directory and the temporary file, and points
// enc at it.
func openPartition(root, site string, hour int64, daily bool, opened time.Time, name string, enc *zstd.Encoder) (*partition, error) {
	p := &partition{site: site, hour: hour, daily: daily, opened: opened, final: name, enc: enc}
	p.dir = partitionDir(root, site, hour, daily)
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating partition directory: %w", err)
	}
	f, err := os.OpenFile(p.tmpPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("creating file: %w", err)
	}
	p.f = f
	p.disk = newCounter(f)
	enc.Reset(p.disk)
	return p, nil
}

func (p *partition) tmpPath() string { return filepath.Join(p.dir, tmpName(p.final)) }
func (p *partition) finalPath() string {
	return filepath.Join(p.dir, positionedName(p.final, p.lo, p.hi))
}

func (p *partition) write(rows []byte, events int, receivedAt time.Time) error {
	if _, err := p.enc.Write(rows); err != nil {
		return fmt.Errorf("compressing rows into %q: %w", p.tmpPath(), err)
	}
	p.rows += int64(len(rows))
	p.stats.Rows += int64(events)
	p.stats.received(receivedAt)
	return nil
}

func (p *partition) flush() error {
	if err := p.enc.Flush(); err != nil {
		return fmt.Errorf("flushing %q: %w", p.tmpPath(), err)
	}
	return nil
}

// due reports whether p must roll at now.
func (p *partition) due(now time.Time, rollEvery time.Duration, maxBytes int64) bool {
	return now.Sub(p.opened) >= rollEvery || bucketOf(now, p.daily) != p.hour || p.rows >= maxBytes
}

// finish ends the zstd stream, syncs and closes the temporary file, and
// returns what the manifest lists of it; publish then gives it its final
// name.
func (p *partition) finish() (fileStats, error) {
	if err := p.enc.Close(); err != nil {
		p.f.Close()
		return fileStats{}, fmt.Errorf("finishing %q: %w", p.tmpPath(), err)
	}
	if err := p.f.Sync(); err != nil {
		p.f.Close()
		return fileStats{}, fmt.Errorf("syncing %q: %w", p.tmpPath(), err)
	}
	if err := p.f.Close(); err != nil {
		return fileStats{}, fmt.Errorf("closing %q: %w", p.tmpPath(), err)
	}
	st := p.stats
	st.Bytes, st.SHA256 = p.disk.n, p.disk.sum()
	return st, nil
}

// abandon closes the file after a failure, leaving the temporary file for
// recovery.
func (p *partition) abandon() { p.f.Close() }
