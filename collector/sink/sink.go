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

// ErrClosed is returned by WriteBatch after Close.
var ErrClosed = errors.New("sink closed")
