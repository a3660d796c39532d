// Package durable makes file system changes survive a crash: a directory
// synced after an entry in it was created, renamed or removed, and small
// files replaced whole (a temporary file, synced, renamed over the old one,
// the directory synced). The spool, the file sinks and erasure use it.
package durable

import (
	"fmt"
	"os"
	"path/filepath"
)

// SyncDir fsyncs the directory dir, so that the entries created, renamed
// or removed in it are on disk.
func SyncDir(dir string) error {
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

// WriteFile replaces path with data, whole: after a crash path holds the
// old contents or the new. The temporary file is .NAME.tmp beside it.
func WriteFile(path string, data []byte) error {
	dir, name := filepath.Split(path)
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("writing %q: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %q: %w", path, err)
	}
	return SyncDir(filepath.Clean(dir))
}
