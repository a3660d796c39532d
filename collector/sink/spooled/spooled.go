// Package spooled connects the durable spool (collector/spool) to the
// sinks. Writer is the sink.Sink the ingest handler writes to: it appends
// each batch to the spool and returns once it is on disk, so that a 2xx
// means durable. A Relay feeds one sink from the spool, in order, through
// the sink's own cursor, which it moves only past what the sink has made
// durable (sink.Positioned); whatever was not is handed again after a
// crash or a sink error, and a Positioned sink skips what it already has.
//
// A batch is one spool record:
//
//	version (1 byte, 1) · received_at (int64 Unix nanoseconds, little endian)
//	· events (uint32) · site length (1 byte) · site · rows (NDJSON)
//
// It must not import collector; it imports collector/spool and
// collector/sink.
package spooled

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

const (
	version    = 1
	maxSite    = 255
	headerSize = 1 + 8 + 4 + 1
)

// Writer appends batches to a spool. It is safe for concurrent use.
type Writer struct {
	spool *spool.Spool
}

var _ sink.Sink = (*Writer)(nil)

// NewWriter returns a Writer appending to s.
func NewWriter(s *spool.Spool) *Writer { return &Writer{spool: s} }

// WriteBatch appends b to the spool and returns once it is on disk and
// fsynced. A spent disk budget returns spool.ErrFull, unwrapped. A warm
// WriteBatch allocates nothing.
func (w *Writer) WriteBatch(ctx context.Context, b *sink.Batch) error {
	if len(b.Site) > maxSite {
		return fmt.Errorf("spooling batch: site id of %d bytes", len(b.Site))
	}
	var head [headerSize + maxSite]byte
	n := appendHeader(head[:0], b)
	_, err := w.spool.AppendParts(ctx, n, b.Rows)
	return err
}

// Close does nothing: the spool belongs to whoever opened it.
func (w *Writer) Close() error { return nil }

func appendHeader(dst []byte, b *sink.Batch) []byte {
	dst = append(dst, version)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(b.ReceivedAt.UnixNano()))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(b.Events))
	dst = append(dst, byte(len(b.Site)))
	return append(dst, b.Site...)
}

var errBadRecord = errors.New("not a spooled batch")

// decode fills b from a record; b's slices point into data.
func decode(b *sink.Batch, data []byte, pos uint64) error {
	if len(data) < headerSize || data[0] != version {
		return errBadRecord
	}
	n := int(data[headerSize-1])
	if len(data) < headerSize+n {
		return errBadRecord
	}
	*b = sink.Batch{
		ReceivedAt: time.Unix(0, int64(binary.LittleEndian.Uint64(data[1:]))).UTC(),
		Events:     int(binary.LittleEndian.Uint32(data[9:])),
		Site:       data[headerSize : headerSize+n],
		Rows:       data[headerSize+n:],
		Pos:        pos,
	}
	return nil
}
