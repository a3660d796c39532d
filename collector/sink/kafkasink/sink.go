package kafkasink

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crumbless/crumbless/collector/sink"
)

// Sink produces batches to Kafka. It is safe for concurrent use.
type Sink struct {
	cfg    Config
	topics [3]string // by sink.Kind

	mu     sync.Mutex
	cl     *kgo.Client // nil before Connect and after a lost connection
	closed bool
	writes sync.WaitGroup // WriteBatch calls under way

	rows, bytes, failures, connects *metrics.Counter
}

var _ sink.Sink = (*Sink)(nil)

// Open checks cfg and returns a Sink, not connected: Connect reaches the
// brokers.
func Open(cfg Config) (*Sink, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("configuring the Kafka sink: %w", err)
	}
	s := &Sink{cfg: cfg}
	s.topics[sink.KindEvents] = cfg.Topics.Events
	s.topics[sink.KindHeatmap] = cfg.Topics.Heatmaps
	s.topics[sink.KindConsent] = cfg.Topics.Consent
	s.rows = cfg.Metrics.GetOrCreateCounter("crumbless_kafka_rows_total")
	s.bytes = cfg.Metrics.GetOrCreateCounter("crumbless_kafka_bytes_total")
	s.failures = cfg.Metrics.GetOrCreateCounter("crumbless_kafka_write_errors_total")
	s.connects = cfg.Metrics.GetOrCreateCounter("crumbless_kafka_connects_total")
	return s, nil
}

// Connect makes a client, checks that a broker answers within
// ProduceTimeout and that the topics exist (creating them if configured
// to). It does nothing when the sink is connected.
func (s *Sink) Connect(ctx context.Context) error {
	s.mu.Lock()
	closed, connected := s.closed, s.cl != nil
	s.mu.Unlock()
	if closed {
		return sink.ErrClosed
	}
	if connected {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ProduceTimeout)
	defer cancel()
	cl, err := s.cfg.dial(ctx)
	if err != nil {
		return fmt.Errorf("connecting to Kafka: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		cl.Close()
		return sink.ErrClosed
	case s.cl != nil: // connected meanwhile
		cl.Close()
	default:
		s.cl = cl
		s.connects.Inc()
	}
	return nil
}

// WriteBatch produces one record per row of b and returns once every one
// is acknowledged by all in-sync replicas. When ProduceTimeout (or ctx)
// ends first, it drops the connection, so that records still buffered are
// not produced later, and returns an error wrapping sink.ErrNotConnected:
// the framework reconnects and hands the batch again.
func (s *Sink) WriteBatch(ctx context.Context, b *sink.Batch) error {
	cl, err := s.acquire()
	if err != nil {
		return err
	}
	defer s.writes.Done()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("writing a batch to Kafka: %w", err)
	}
	rs, err := s.build(b)
	if err != nil {
		return fmt.Errorf("writing a batch to Kafka: %w", err)
	}
	if err := s.produce(ctx, cl, rs); err != nil {
		s.failures.Inc()
		return fmt.Errorf("writing %d rows to Kafka: %w", len(rs.recs), err)
	}
	s.rows.Add(len(rs.recs))
	s.bytes.Add(b.Bytes())
	return nil
}

// acquire returns the client for one WriteBatch, which must call
// s.writes.Done.
func (s *Sink) acquire() (*kgo.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, sink.ErrClosed
	case s.cl == nil:
		return nil, sink.ErrNotConnected
	}
	s.writes.Add(1)
	return s.cl, nil
}

// produce hands rs to the client and waits for every acknowledgement, at
// most ProduceTimeout.
func (s *Sink) produce(ctx context.Context, cl *kgo.Client, rs *records) error {
	if len(rs.recs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ProduceTimeout)
	defer cancel()
	w := newWaiter(len(rs.recs))
	promise := w.promise
	for i := range rs.recs {
		cl.Produce(ctx, &rs.recs[i], promise)
	}
	var err error
	select {
	case <-w.done:
		if err = w.err(); err == nil {
			return nil
		}
		if ctx.Err() == nil && !errors.Is(err, kgo.ErrClientClosed) {
			return err // the brokers refused: retried on this connection
		}
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.drop(cl)
	return fmt.Errorf("%w: %w", sink.ErrNotConnected, err)
}

// drop forgets cl and closes it, failing what it still buffers; the next
// Connect makes a new client.
func (s *Sink) drop(cl *kgo.Client) {
	s.mu.Lock()
	mine := s.cl == cl
	if mine {
		s.cl = nil
	}
	s.mu.Unlock()
	if mine {
		cl.Close()
	}
}

// Close waits for the WriteBatch calls under way, flushes and closes the
// client. It is idempotent.
func (s *Sink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	cl := s.cl
	s.cl = nil
	s.mu.Unlock()
	s.writes.Wait()
	if cl == nil {
		return nil
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ProduceTimeout)
	defer cancel()
	if err := cl.Flush(ctx); err != nil {
		return fmt.Errorf("flushing records to Kafka: %w", err)
	}
	return nil
}

// waiter counts a WriteBatch's acknowledgements and keeps its first error.
type waiter struct {
	left  atomic.Int64
	done  chan struct{}
	mu    sync.Mutex
	first error
}

func newWaiter(n int) *waiter {
	w := &waiter{done: make(chan struct{})}
	w.left.Store(int64(n))
	return w
}

func (w *waiter) promise(_ *kgo.Record, err error) {
	if err != nil {
		w.mu.Lock()
		if w.first == nil {
			w.first = err
		}
		w.mu.Unlock()
	}
	if w.left.Add(-1) == 0 {
		close(w.done)
	}
}

func (w *waiter) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.first
}
