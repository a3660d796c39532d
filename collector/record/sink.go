package record

import (
	"context"
	"fmt"

	"github.com/crumbless/crumbless/collector/sink"
)

var _ sink.Positioned = (*Writer)(nil)

// Connect checks that the consent directory can be written.
func (w *Writer) Connect(ctx context.Context) error { return w.files.Connect(ctx) }

// WriteBatch chains the consent records of b (other kinds are refused) in
// order and writes them. Records the files already hold (a replay after a
// crash) are passed to the file sink as they are, which skips them: the
// chain's heads, read from the complete files, are already past them.
func (w *Writer) WriteBatch(ctx context.Context, b *sink.Batch) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range b.Records {
		if err := w.writeLocked(ctx, &b.Records[i]); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) writeLocked(ctx context.Context, rec *sink.Record) error {
	if rec.Kind != sink.KindConsent {
		return fmt.Errorf("writing consent records: a record of kind %s", rec.Kind)
	}
	if w.files.Published(rec) {
		return w.files.Append(ctx, rec)
	}
	site := string(rec.Site)
	head, ok := w.heads[site]
	if !ok {
		head = Genesis
	}
	w.buf = w.buf[:0]
	n := 0
	for rest := rec.Rows; len(rest) > 0; n++ {
		line := rest
		if i := indexNewline(rest); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		if err := checkBody(line); err != nil {
			return fmt.Errorf("writing consent records for %q: record %d: %w", site, n+1, err)
		}
		w.buf, head = appendChained(w.buf, line, head)
	}
	chained := *rec
	chained.Rows = w.buf
	if err := w.files.Append(ctx, &chained); err != nil {
		return fmt.Errorf("writing consent records: %w", err)
	}
	w.heads[site] = head
	w.written.Add(n)
	return nil
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// Durable is the file sink's.
func (w *Writer) Durable() (uint64, bool) { return w.files.Durable() }

// Reset drops the open files and goes back to the heads of the complete
// files: the records after cursor are handed again and chained anew.
func (w *Writer) Reset(cursor uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.files.Reset(cursor); err != nil {
		return err
	}
	clear(w.heads)
	if err := w.loadHeads(w.dir); err != nil {
		return fmt.Errorf("resetting consent records: %w", err)
	}
	return nil
}

// Committed is the file sink's.
func (w *Writer) Committed(cursor uint64) { w.files.Committed(cursor) }

// MaxPublished returns the highest spool position in a complete file.
func (w *Writer) MaxPublished() uint64 { return w.files.MaxPublished() }

// Close completes every open file.
func (w *Writer) Close() error { return w.files.Close() }
