package erasure

import (
	"errors"
	"fmt"
	"github.com/crumbless/crumbless/internal/durable"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Names of the files an erasure reads and writes.
const (
	ndjsonExt  = ".ndjson.zst"
	parquetExt = ".parquet"
	tmpPrefix  = ".erase-"
	tmpSuffix  = ".tmp"
)

// complete reports whether name is a complete data file: the sink's open
// files are hidden (".part-…"), and so are an erasure's own.
func complete(name string) bool {
	return strings.HasPrefix(name, "part-") && (strings.HasSuffix(name, ndjsonExt) || strings.HasSuffix(name, parquetExt))
}

// isTmp reports whether name is an erasure's temporary file.
func isTmp(name string) bool {
	return strings.HasPrefix(name, tmpPrefix) && strings.HasSuffix(name, tmpSuffix)
}

// tmpPath returns the hidden temporary file path is rewritten to.
func tmpPath(path string) string {
	return filepath.Join(filepath.Dir(path), tmpPrefix+filepath.Base(path)+tmpSuffix)
}

// eraseTree removes subject's rows from every complete file below root,
// first removing the temporary files of an interrupted erasure, and
// updates the manifests of the partitions it rewrote files in. The files
// of a partition whose manifest is not complete are left for a later run
// (counted in res.Deferred). A missing root holds nothing to erase.
func eraseTree(res *Result, dataDir, root string, subject Subject) error {
	var errs []error
	open := map[string]bool{}                // by directory: a manifest is not complete
	rewritten := map[string]map[string]int{} // by directory: file name → rows removed
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, "date=") && !subject.dateOK(name) {
				return filepath.SkipDir
			}
			return nil
		}
		if isTmp(name) {
			errs = append(errs, os.Remove(path))
			return nil
		}
		if !complete(name) {
			return nil
		}
		dir := filepath.Dir(path)
		if isOpen, seen := open[dir]; !seen {
			_, isOpen, err = manifests(dir)
			errs = append(errs, err)
			open[dir] = isOpen || err != nil
		}
		if open[dir] {
			res.Deferred++
			return nil
		}
		n, err := eraseFile(path, subject)
		if err != nil {
			errs = append(errs, fmt.Errorf("rewriting %q: %w", path, err))
		}
		if n > 0 {
			res.add(dataDir, path, n)
			if rewritten[dir] == nil {
				rewritten[dir] = map[string]int{}
			}
			rewritten[dir][name] = n
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	for dir, names := range rewritten {
		if err := updateManifests(dir, names); err != nil {
			errs = append(errs, fmt.Errorf("updating the manifests of %q: %w", dir, err))
		}
	}
	return errors.Join(append(errs, err)...)
}

// eraseFile rewrites one file without subject's rows and returns how many
// it removed.
func eraseFile(path string, subject Subject) (int, error) {
	if strings.HasSuffix(path, parquetExt) {
		return eraseParquet(path, subject)
	}
	return eraseNDJSON(path, subject)
}

// rewrite writes path's new contents with write into its temporary file
// and puts it in place of path (replace); on failure the temporary file is
// removed and path is left as it was.
func rewrite(path string, write func(io.Writer) error) error {
	tmp, err := createTmp(path)
	if err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		discard(tmp)
		return err
	}
	if err := replace(tmp, path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// replace syncs and closes tmp, renames it over path and syncs the
// directory, so that path holds either the old rows or the new, whole.
func replace(tmp *os.File, path string) error {
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("syncing %q: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing %q: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("renaming %q: %w", tmp.Name(), err)
	}
	return durable.SyncDir(filepath.Dir(path))
}

// createTmp creates path's temporary file; it fails if one exists (another
// erasure is rewriting the same file).
func createTmp(path string) (*os.File, error) {
	f, err := os.OpenFile(tmpPath(path), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file: %w", err)
	}
	return f, nil
}

// discard removes a temporary file after a failure.
func discard(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}
