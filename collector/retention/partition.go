package retention

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// expired reports whether a partition named date=DATE is past a window of
// days before today: its date is more than days days before today. A
// name that is not a date is never expired.
func expired(name string, today time.Time, days int) bool {
	s, ok := strings.CutPrefix(name, "date=")
	if !ok || days <= 0 {
		return false
	}
	d, err := time.Parse(dateLayout, s)
	return err == nil && d.Before(today.AddDate(0, 0, -days))
}

// runSite deletes the expired date partitions of one site of one kind,
// then the site directory if that left it empty.
func (j *Job) runSite(res *Result, kind, site string, today time.Time) error {
	days := j.days(site)
	if days <= 0 {
		return nil
	}
	dir := filepath.Join(j.cfg.Dir, kind, "site="+site)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("listing %q: %w", dir, err)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() && expired(e.Name(), today, days) {
			errs = append(errs, j.deletePartition(res, filepath.Join(dir, e.Name()), site, days))
		}
	}
	if !j.cfg.DryRun {
		removeIfEmpty(dir)
	}
	return errors.Join(errs...)
}

// deletePartition counts the files of one date directory and deletes it.
func (j *Job) deletePartition(res *Result, dir, site string, days int) error {
	files, bytes := sizeOf(dir)
	rel, _ := filepath.Rel(j.cfg.Dir, dir)
	rel = filepath.ToSlash(rel)
	if !j.cfg.DryRun {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("deleting expired partition %q: %w", dir, err)
		}
		j.partitions.Inc()
		j.files.Add(files)
		j.bytes.AddInt64(bytes)
	}
	res.Partitions = append(res.Partitions, rel)
	res.Files += files
	res.Bytes += bytes
	j.log.Info("retention: deleting an expired partition", "partition", rel, "site", site,
		"retention_days", days, "files", files, "bytes", bytes, "dry_run", j.cfg.DryRun)
	return nil
}

// sizeOf counts the files below dir and their bytes, as far as it can read.
func sizeOf(dir string) (files int, bytes int64) {
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			files++
			bytes += fi.Size()
		}
		return nil
	})
	return files, bytes
}

// removeIfEmpty removes dir if it holds nothing; a directory that is not
// empty stays, silently.
func removeIfEmpty(dir string) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == 0 {
		_ = os.Remove(dir)
	}
}
