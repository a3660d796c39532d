// Package sink defines what the collector hands its outputs: a Batch of
// encoded rows for one site, and the Sink interface every output (files
// today; Kafka, S3 and webhooks later) implements.
//
// It must not import collector or any other collector/<x> package; sink
// implementations live below it (sink/filesink) and import it.
package sink

import (
	"context"
	"errors"
	"time"
)

// Batch is the rows of one accepted request.
type Batch struct {
	// Site is the site id, already validated: lower-case letters, digits,
	// dots and dashes.
	Site []byte
	// ReceivedAt is when the collector received the request; sinks
	// partition by it.
	ReceivedAt time.Time
	// Rows holds Events NDJSON rows, each ending in '\n'.
	Rows   []byte
	Events int
	// Pos is the spool position of the record the batch was read from;
	// 0 for a batch that did not come from the spool. Positions increase
	// in the order batches are handed to a sink.
	Pos uint64
}

// Sink stores batches.
type Sink interface {
	// WriteBatch stores b. The Batch and its slices are only valid during
	// the call: a Sink that keeps them must copy them. It is safe for
	// concurrent use, and writes the whole batch or returns an error.
	WriteBatch(ctx context.Context, b *Batch) error
	// Close writes out what is buffered and releases the sink. It is
	// idempotent; WriteBatch after Close returns ErrClosed.
	Close() error
}

// Positioned is a Sink that is fed from the spool and tells which
// positions it has made durable, so that the spool's cursor moves only past
// them (collector/sink/spooled). A Sink that is not Positioned is taken to
// have made a batch durable when WriteBatch returns.
type Positioned interface {
	Sink
	// Durable returns the highest position p such that every batch
	// handed to WriteBatch at or below p is durable; lost reports that a
	// batch already accepted by WriteBatch was lost since (a file could
	// not be completed), so the caller must Reset and hand the batches
	// after its cursor again.
	Durable() (p uint64, lost bool)
	// Reset drops whatever is not durable yet and forgets the positions
	// handed after cursor, so that those batches can be handed again.
	Reset(cursor uint64) error
	// Committed tells the sink that the spool's cursor moved to cursor:
	// no batch at or below it will be handed again.
	Committed(cursor uint64)
}

// ErrClosed is returned by WriteBatch after Close.
var ErrClosed = errors.New("sink closed")
