package erasure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/crumbless/crumbless/internal/durable"
)

// RecordFile is the file below DATA/erasures that erasure records are
// appended to, one JSON object a line.
const RecordFile = "erasures.ndjson"

// Record is one line of the erasure log: what was erased, when, and from
// which files. It names the id by its hash only (Subject.Hash).
type Record struct {
	Time   string   `json:"time"` // RFC 3339, UTC, milliseconds
	Site   string   `json:"site"`
	Kind   string   `json:"kind"`      // KindVisitor or KindUID
	IDHash string   `json:"id_sha256"` // Subject.Hash
	Files  []string `json:"files"`     // rewritten, relative to the data directory
	Rows   int      `json:"rows"`      // removed from NDJSON files
	// ParquetRows are the rows removed from Parquet files.
	ParquetRows int `json:"parquet_rows"`
	// Deferred counts the files of partitions a collector was still
	// writing, left for a later run.
	Deferred int `json:"deferred_files"`
}

// appendRecord appends the record of an erasure to the log and syncs it
// (and, when it creates the log, the directory).
func appendRecord(cfg Config, site string, subject Subject, res Result) error {
	rec := Record{
		Time: cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"), Site: site,
		Kind: subject.Kind, IDHash: subject.Hash(), Files: res.Files, Rows: res.Rows,
		ParquetRows: res.ParquetRows, Deferred: res.Deferred,
	}
	if rec.Files == nil {
		rec.Files = []string{}
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encoding the erasure record: %w", err)
	}
	dir := filepath.Join(cfg.Dir, Subdir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %q: %w", dir, err)
	}
	return appendSynced(filepath.Join(dir, RecordFile), append(line, '\n'))
}

// appendSynced appends line to the file at path and syncs it.
func appendSynced(path string, line []byte) error {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening the erasure log: %w", err)
	}
	_, err = f.Write(line)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("appending to the erasure log %q: %w", path, err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		return durable.SyncDir(filepath.Dir(path))
	}
	return nil
}

// ReadRecords returns every record in the erasure log of dir, oldest
// first; none when there is no log.
func ReadRecords(dir string) ([]Record, error) {
	data, err := os.ReadFile(filepath.Join(dir, Subdir, RecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the erasure log: %w", err)
	}
	var recs []Record
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var r Record
		if err := dec.Decode(&r); err != nil {
			return recs, fmt.Errorf("reading the erasure log: %w", err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}
