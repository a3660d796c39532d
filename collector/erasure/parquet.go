package erasure

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// rowsPerRead is how many Parquet rows are read at once.
const rowsPerRead = 512

// eraseParquet rewrites the Parquet file at path without the subject's
// rows, if it has any, with the file's own schema (and so its columns'
// compression) and key-value metadata, and returns how many it removed. A
// file without the subject's column holds none of its rows.
func eraseParquet(path string, subject Subject) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	pf, err := openParquet(f)
	if err != nil {
		return 0, err
	}
	leaf, ok := pf.Schema().Lookup(subject.field())
	if !ok {
		return 0, nil
	}
	isSubject := func(row parquet.Row) bool { return rowHas(row, leaf.ColumnIndex, subject.ID) }
	n, err := filterParquet(pf, nil, isSubject)
	if err != nil || n == 0 {
		return 0, err
	}
	if err := rewrite(path, func(w io.Writer) error { return writeParquetWithout(w, pf, isSubject) }); err != nil {
		return 0, err
	}
	return n, nil
}

func openParquet(f *os.File) (*parquet.File, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("reading Parquet: %w", err)
	}
	return pf, nil
}

// rowHas reports whether row's value in column is id.
func rowHas(row parquet.Row, column int, id string) bool {
	for _, v := range row {
		if v.Column() == column {
			return !v.IsNull() && string(v.ByteArray()) == id
		}
	}
	return false
}

// filterParquet reads every row of pf, passes those drop rejects to keep
// (when not nil), and returns how many drop took.
func filterParquet(pf *parquet.File, keep func([]parquet.Row) error, drop func(parquet.Row) bool) (int, error) {
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, rowsPerRead)
	dropped := 0
	for {
		n, err := r.ReadRows(buf)
		kept := buf[:0:0]
		for _, row := range buf[:n] {
			if drop(row) {
				dropped++
			} else {
				kept = append(kept, row)
			}
		}
		if keep != nil && len(kept) > 0 {
			if werr := keep(kept); werr != nil {
				return dropped, fmt.Errorf("writing Parquet rows: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			return dropped, nil
		}
		if err != nil {
			return dropped, fmt.Errorf("reading Parquet rows: %w", err)
		}
	}
}

// writeParquetWithout writes the rows of pf that drop rejects to w.
func writeParquetWithout(w io.Writer, pf *parquet.File, drop func(parquet.Row) bool) error {
	opts := []parquet.WriterOption{pf.Schema()}
	for _, kv := range pf.Metadata().KeyValueMetadata {
		opts = append(opts, parquet.KeyValueMetadata(kv.Key, kv.Value))
	}
	pw := parquet.NewWriter(w, opts...)
	_, err := filterParquet(pf, func(rows []parquet.Row) error {
		_, err := pw.WriteRows(rows)
		return err
	}, drop)
	if err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("finishing Parquet: %w", err)
	}
	return nil
}
