// Package spooled is the sinks framework: it connects the durable spool
// (collector/spool) to the sinks. Writer is the sink.Appender the ingest
// handler writes to: it appends each record to the spool and returns once
// it is on disk, so that a 2xx means durable. A Relay feeds one sink from
// the spool through the sink's own cursor: it connects the sink, groups
// records into batches by count, bytes and time, keeps up to MaxInFlight
// batches in flight, retries each with backoff (reconnecting when the
// sink says it is not connected), and moves the cursor only past what the
// sink has made durable, so that whatever was not is handed again after a
// crash. A sink.Positioned sink (the file sink) gets one batch at a time
// and skips what it already has, which makes it exactly-once; other sinks
// are at-least-once, and readers deduplicate on event_id.
//
// A record in the spool is:
//
//	version (1 byte, 3) · kind (1 byte) · received_at (int64 Unix
//	nanoseconds, little endian) · events (uint32) · site length (1 byte)
//	· site · rows (NDJSON, as one S2 block)
//
// The rows are compressed with S2 (klauspost/compress/s2, a Snappy
// extension that compresses and decompresses at gigabytes a second): rows
// are JSON with the same keys on every line, several times smaller as S2,
// and every byte kept out of the spool is a byte the committer does not
// write and fsync and the relay does not read back. Version 2 records
// hold the rows as they are (so does a version 3 writer when S2 would not
// make them smaller); version 1 records, written before kinds existed,
// have no kind byte and are events.
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
	versionPlain = 2
	versionS2    = 3
	maxSite      = 255
	headerSize   = 1 + 1 + 8 + 4 + 1
	headerSizeV1 = headerSize - 1
)

// Writer appends records to a spool. It is safe for concurrent use.
type Writer struct {
	spool *spool.Spool
}

var _ sink.Queuer = (*Writer)(nil)

// NewWriter returns a Writer appending to s.
func NewWriter(s *spool.Spool) *Writer { return &Writer{spool: s} }

// Append appends rec to the spool and returns once it is on disk and
// fsynced. A spent disk budget returns spool.ErrFull, unwrapped. A warm
// Append allocates nothing.
func (w *Writer) Append(ctx context.Context, rec *sink.Record) error {
	a, err := w.Queue(ctx, rec)
	if err != nil {
		return err
	}
	return a.Wait()
}

// Queue appends rec to the spool's pending group and returns at once;
// the Ack's Wait returns once it is on disk and fsynced. A warm Queue
// allocates nothing.
func (w *Writer) Queue(ctx context.Context, rec *sink.Record) (sink.Ack, error) {
	if len(rec.Site) > maxSite {
		return nil, fmt.Errorf("spooling record: site id of %d bytes", len(rec.Site))
	}
	if !rec.Kind.Valid() {
		return nil, fmt.Errorf("spooling record: unknown kind %d", rec.Kind)
	}
	var head [headerSize + maxSite]byte
	buf := s2Bufs.Get().(*[]byte)
	defer s2Bufs.Put(buf)
	version, rows := compress(*buf, rec.Rows)
	if version == versionS2 && cap(rows) <= maxKeptBuf {
		*buf = rows[:0] // grown for a large record: keep it
	}
	p, err := w.spool.Queue(ctx, appendHeader(head[:0], version, rec), rows)
	if err != nil {
		return nil, err
	}
	return (*ack)(p), nil
}

// ack is a queued record's spool.Pending as a sink.Ack.
type ack spool.Pending

func (a *ack) Wait() error {
	_, err := (*spool.Pending)(a).Wait()
	return err
}

func appendHeader(dst []byte, version byte, b *sink.Record) []byte {
	dst = append(dst, version, byte(b.Kind))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(b.ReceivedAt.UnixNano()))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(b.Events))
	dst = append(dst, byte(len(b.Site)))
	return append(dst, b.Site...)
}

var errBadRecord = errors.New("not a spooled record")

// decode fills b from a spool record; b's slices point into data. When
// compressed is true, b.Rows is an S2 block: see appendRows.
func decode(b *sink.Record, data []byte, pos uint64) (compressed bool, err error) {
	if len(data) == 0 {
		return false, errBadRecord
	}
	kind, head := sink.KindEvents, data[1:]
	switch data[0] {
	case 1:
	case versionPlain, versionS2:
		if len(head) == 0 {
			return false, errBadRecord
		}
		kind, head = sink.Kind(head[0]), head[1:]
	default:
		return false, errBadRecord
	}
	if len(head) < headerSizeV1-1 || !kind.Valid() {
		return false, errBadRecord
	}
	n := int(head[12])
	if len(head) < 13+n {
		return false, errBadRecord
	}
	*b = sink.Record{
		Kind:       kind,
		ReceivedAt: time.Unix(0, int64(binary.LittleEndian.Uint64(head))).UTC(),
		Events:     int(binary.LittleEndian.Uint32(head[8:])),
		Site:       head[13 : 13+n],
		Rows:       head[13+n:],
		Pos:        pos,
	}
	return data[0] == versionS2, nil
}
