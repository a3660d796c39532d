package filesink

import (
	"fmt"
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
	disk   counter
	lo, hi uint64 // spool positions of the first and last batch; 0 when none
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

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
	p.disk.w = f
	enc.Reset(&p.disk)
	return p, nil
}

func (p *partition) tmpPath() string { return filepath.Join(p.dir, tmpName(p.final)) }
func (p *partition) finalPath() string {
	return filepath.Join(p.dir, positionedName(p.final, p.lo, p.hi))
}

func (p *partition) write(rows []byte) error {
	if _, err := p.enc.Write(rows); err != nil {
		return fmt.Errorf("compressing rows into %q: %w", p.tmpPath(), err)
	}
	p.rows += int64(len(rows))
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

// complete ends the zstd stream, syncs and closes the file, renames it to
// its final name and syncs the directory, so the file is durable and
// visible whole or not at all.
func (p *partition) complete() error {
	if err := p.enc.Close(); err != nil {
		p.f.Close()
		return fmt.Errorf("finishing %q: %w", p.tmpPath(), err)
	}
	if err := p.f.Sync(); err != nil {
		p.f.Close()
		return fmt.Errorf("syncing %q: %w", p.tmpPath(), err)
	}
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("closing %q: %w", p.tmpPath(), err)
	}
	if err := os.Rename(p.tmpPath(), p.finalPath()); err != nil {
		return fmt.Errorf("renaming %q: %w", p.tmpPath(), err)
	}
	return syncDir(p.dir)
}

// abandon closes the file after a failure, leaving the temporary file for
// recovery.
func (p *partition) abandon() { p.f.Close() }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %q: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %q: %w", dir, err)
	}
	return nil
}
