package filesink

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/crumbless/crumbless/internal/durable"
)

// published is one file a partition published.
type published struct {
	name   string
	format Format
	stats  fileStats
}

// publish finishes p and publishes it in format. It returns the files
// published; late is a failure after the commit point (the rows are
// published, and a Parquet file left under its temporary name is published
// at the next Open), err one before it (nothing is published; the rows stay
// in the temporary NDJSON file).
//
// The order makes a crash at any point leave either both formats or
// neither, so the exactly-once positions (positions.go) hold for both:
//
//  1. The NDJSON rows are finished and synced in their temporary file.
//  2. With Parquet, the rows are converted into a temporary Parquet file,
//     named after the final name with its positions
//     (".part-…-p<lo>-<hi>.parquet.tmp"), synced, and the directory
//     synced.
//  3. The commit point is one rename: with FormatNDJSON and FormatBoth
//     the NDJSON file's, with FormatParquet the Parquet file's.
//  4. With FormatBoth, the Parquet file is renamed after it; with
//     FormatParquet the temporary NDJSON file is removed. The directory
//     is synced.
//
// At Open (loadPublished), a crash before the commit leaves only
// temporary files, which are removed: their batches are replayed. A crash
// between the two renames of FormatBoth leaves a published NDJSON file and
// its complete Parquet twin under its temporary name, which Open renames.
// A temporary Parquet file without a published NDJSON twin is removed.
func (p *partition) publish(format Format) (files []published, late, err error) {
	st, err := p.finish()
	if err != nil {
		return nil, nil, err
	}
	final := filepath.Base(p.finalPath())
	if !format.parquet() {
		if err := commit(p.tmpPath(), p.finalPath()); err != nil {
			return nil, nil, err
		}
		return []published{{final, FormatNDJSON, st}}, nil, nil
	}
	pq := published{parquetName(final), FormatParquet, fileStats{}}
	pqTmp := filepath.Join(p.dir, tmpName(pq.name))
	if pq.stats, err = writeParquet(p.tmpPath(), pqTmp); err != nil {
		os.Remove(pqTmp)
		return nil, nil, err
	}
	if err := durable.SyncDir(p.dir); err != nil {
		return nil, nil, err
	}
	pqFinal := filepath.Join(p.dir, pq.name)
	if format == FormatParquet {
		if err := commit(pqTmp, pqFinal); err != nil {
			return nil, nil, err
		}
		if err := os.Remove(p.tmpPath()); err != nil {
			late = fmt.Errorf("removing %q: %w", p.tmpPath(), err)
		}
		return []published{pq}, late, nil
	}
	if err := commit(p.tmpPath(), p.finalPath()); err != nil {
		return nil, nil, err
	}
	files = []published{{final, FormatNDJSON, st}}
	if err := commit(pqTmp, pqFinal); err != nil {
		return files, err, nil
	}
	return append(files, pq), nil, nil
}

// commit renames tmp to final and syncs the directory, so the file is
// durable and visible whole or not at all.
func commit(tmp, final string) error {
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("renaming %q: %w", tmp, err)
	}
	return durable.SyncDir(filepath.Dir(final))
}
