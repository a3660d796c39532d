// Package sink defines what the collector hands its outputs. Ingest
// appends each accepted request as one Record to the spool (an Appender);
// the sinks framework (collector/sink/spooled) reads the spool, groups
// records into Batches by count, bytes and time, and hands them to each
// Sink (files, Kafka, S3) with retries, a bound on batches in flight and
// per-sink lag metrics. Every Sink passes the conformance suite in
// collector/sink/sinktest.
//
// It must not import collector or any other collector/<x> package; sink
// implementations live below it (sink/filesink, sink/kafkasink, ...) and
// import it.
package sink

import (
	"context"
	"errors"
	"time"
)

// Kind is what a record's rows are; streams such as Kafka topics are per
// kind.
type Kind uint8

// The kinds of rows. The zero value is KindEvents.
const (
	KindEvents  Kind = iota // events rows (collector/row)
	KindHeatmap             // heatmap cells (collector/heatmap)
	KindConsent             // consent records (collector/record)
	// NumKinds is the number of kinds.
	NumKinds
)

var kindNames = [NumKinds]string{"events", "heatmaps", "consent"}

// String returns the kind's name: events, heatmaps or consent.
func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "unknown"
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k < NumKinds }

// Record is the rows of one accepted request: one site, one kind.
type Record struct {
	Kind Kind
	// Site is the site id, already validated: lower-case letters, digits,
	// dots and dashes.
	Site []byte
	// ReceivedAt is when the collector received the request; sinks
	// partition by it.
	ReceivedAt time.Time
	// Rows holds Events NDJSON rows, each ending in '\n'.
	Rows   []byte
	Events int
	// Pos is the spool position of the record; 0 for a record that did
	// not come from the spool. Positions increase in the order records
	// are handed to a sink.
	Pos uint64
}

// Batch is the records the framework hands a sink in one call, in spool
// order.
type Batch struct {
	Records []Record
}

// Events returns the number of rows in b.
func (b *Batch) Events() int {
	n := 0
	for i := range b.Records {
		n += b.Records[i].Events
	}
	return n
}

// Bytes returns the size of b's rows.
func (b *Batch) Bytes() int {
	n := 0
	for i := range b.Records {
		n += len(b.Records[i].Rows)
	}
	return n
}

// Sink stores batches.
type Sink interface {
	// Connect opens the sink's connection (or checks its directory). The
	// framework calls it before the first WriteBatch and again after
	// WriteBatch returns an error wrapping ErrNotConnected; it may block
	// until ctx ends.
	Connect(ctx context.Context) error
	// WriteBatch stores every record of b, or returns an error; the
	// framework then hands the same batch again (at-least-once), unless
	// the sink is Positioned. Before a successful Connect it returns
	// ErrNotConnected. The Batch and its slices are only valid during the
	// call: a Sink that keeps them must copy them. It is safe for
	// concurrent use.
	WriteBatch(ctx context.Context, b *Batch) error
	// Close writes out what is buffered and releases the sink. It is
	// idempotent; WriteBatch after Close returns ErrClosed.
	Close() error
}

// Appender takes one record at a time: the spool's writer, which ingest
// appends to (collector/sink/spooled.Writer).
type Appender interface {
	// Append stores rec and returns once it is durable. rec and its
	// slices are only valid during the call.
	Append(ctx context.Context, rec *Record) error
}

// Queuer is an Appender that can queue a record and wait for it apart,
// so that the caller lets go of what it built the record with before the
// wait (the spool's writer: a request's buffers go back to their pool,
// warm, while its group is fsynced).
type Queuer interface {
	Appender
	// Queue queues rec (copying it) and returns at once; Wait on the Ack
	// returns once rec is durable.
	Queue(ctx context.Context, rec *Record) (Ack, error)
}

// Ack is a queued record; call Wait exactly once.
type Ack interface {
	Wait() error
}

// Positioned is a Sink that is fed from the spool and tells which
// positions it has made durable, so that the spool's cursor moves only past
// them (collector/sink/spooled). A Sink that is not Positioned is taken to
// have made a batch durable when WriteBatch returns. The framework hands a
// Positioned sink one batch at a time.
type Positioned interface {
	Sink
	// Durable returns the highest position p such that every record
	// handed to WriteBatch at or below p is durable; lost reports that a
	// record already accepted by WriteBatch was lost since (a file could
	// not be completed), so the caller must Reset and hand the records
	// after its cursor again.
	Durable() (p uint64, lost bool)
	// Reset drops whatever is not durable yet and forgets the positions
	// handed after cursor, so that those records can be handed again.
	Reset(cursor uint64) error
	// Committed tells the sink that the spool's cursor moved to cursor:
	// no record at or below it will be handed again.
	Committed(cursor uint64)
}

var (
	// ErrClosed is returned by WriteBatch after Close.
	ErrClosed = errors.New("sink closed")
	// ErrNotConnected is returned (wrapped) by WriteBatch before Connect,
	// or once the sink has lost its connection.
	ErrNotConnected = errors.New("sink not connected")
)
