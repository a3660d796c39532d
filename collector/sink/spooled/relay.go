package spooled

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

// Defaults for the zero values of RelayConfig.
const (
	DefaultCommitEvery = time.Second
	DefaultMaxRecords  = 256
	DefaultMaxBytes    = 1 << 20
	DefaultMaxWait     = 100 * time.Millisecond
	DefaultMaxInFlight = 1
	firstBackoff       = 100 * time.Millisecond
	maxBackoff         = 5 * time.Second
	idleWait           = 200 * time.Millisecond
)

// RelayConfig configures a Relay. Spool, Reader, Sink and Name are
// required.
type RelayConfig struct {
	Spool  *spool.Spool
	Reader *spool.Reader
	Sink   sink.Sink
	// Name labels the metrics: crumbless_sink_*{sink="NAME"}.
	Name string
	// CommitEvery is how often the cursor is moved to what the sink has
	// made durable; default 1s.
	CommitEvery time.Duration
	// A batch is handed once it has MaxRecords records (default 256) or
	// MaxBytes bytes of rows (default 1 MiB), or MaxWait (default 100ms)
	// after its first record was read, whichever comes first. A record
	// larger than MaxBytes is a batch of its own.
	MaxRecords int
	MaxBytes   int
	MaxWait    time.Duration
	// MaxInFlight is how many batches may be written at once (default
	// 1); a Positioned sink always gets one at a time.
	MaxInFlight int
	// Kinds are the kinds of records the sink gets; the others are passed
	// over (and covered by the cursor). Nil means every kind.
	Kinds []sink.Kind
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Metrics; nil means a private set.
	Metrics *metrics.Set
}

func (c RelayConfig) withDefaults() RelayConfig {
	if c.CommitEvery <= 0 {
		c.CommitEvery = DefaultCommitEvery
	}
	if c.MaxRecords <= 0 {
		c.MaxRecords = DefaultMaxRecords
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.MaxWait <= 0 {
		c.MaxWait = DefaultMaxWait
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.NewSet()
	}
	return c
}

// Relay hands a sink the spool's records, in order, in batches. One
// goroutine reads the spool and fills batches; each batch in flight is
// written by a goroutine of its own.
type Relay struct {
	cfg        RelayConfig
	positioned sink.Positioned // nil when the sink is not
	ctx        context.Context
	cancel     context.CancelFunc
	done       chan struct{}
	draining   atomic.Bool
	target     atomic.Uint64
	connected  atomic.Bool
	log        throttledLog

	flight inFlight
	conn   sync.Mutex // serialises Connect
	m      relayMetrics
}

// StartRelay connects cfg.Sink and starts feeding it from cfg.Reader. It
// does not wait for the connection: while the sink is unreachable the
// records wait in the spool, and the relay keeps trying with backoff.
func StartRelay(cfg RelayConfig) (*Relay, error) {
	if cfg.Spool == nil || cfg.Reader == nil || cfg.Sink == nil || cfg.Name == "" {
		return nil, errors.New("starting relay: Spool, Reader, Sink and Name are required")
	}
	cfg = cfg.withDefaults()
	r := &Relay{cfg: cfg, done: make(chan struct{})}
	if p, ok := cfg.Sink.(sink.Positioned); ok {
		r.positioned, r.cfg.MaxInFlight = p, 1
	}
	r.log = throttledLog{log: cfg.Logger, sink: cfg.Name}
	r.flight.init(r.cfg.MaxInFlight, cfg.Reader.Committed())
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.m.register(r, cfg.Metrics)
	if behind := cfg.Spool.Last() - cfg.Reader.Committed(); behind > 0 {
		cfg.Logger.Info("replaying spooled records", "sink", cfg.Name, "records", behind, "after", cfg.Reader.Committed())
	}
	go r.run()
	return r, nil
}

func (r *Relay) run() {
	defer close(r.done)
	defer r.flight.wait()
	if !r.connect() {
		return
	}
	due := time.Now().Add(r.cfg.CommitEvery)
	for {
		if r.draining.Load() && r.cfg.Reader.Pos() >= r.target.Load() {
			return
		}
		b := r.flight.take(r.ctx)
		if b == nil {
			return
		}
		err := r.fill(b, &due)
		if b.last > 0 {
			if !r.dispatch(b) {
				return
			}
		} else {
			r.flight.give(b)
		}
		switch {
		case err == nil, errors.Is(err, context.DeadlineExceeded):
		case r.ctx.Err() != nil || errors.Is(err, spool.ErrClosed):
			return
		default:
			r.fail("reading the spool", err)
			if !r.sleep(time.Second) {
				return
			}
			r.flight.wait()
			r.reset()
		}
	}
}

// fill reads records into b until it is full, its wait is over, the
// commit is due or the drain target is reached. It returns the error that
// stopped the reading, if any.
func (r *Relay) fill(b *pending, due *time.Time) error {
	var until time.Time
	for {
		if now := time.Now(); !now.Before(*due) {
			r.commit()
			*due = now.Add(r.cfg.CommitEvery)
		}
		if r.draining.Load() && r.cfg.Reader.Pos() >= r.target.Load() {
			return nil
		}
		deadline := *due
		if !until.IsZero() && until.Before(deadline) {
			deadline = until
		}
		rec, err := r.next(deadline)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && len(b.batch.Records) > 0 && time.Now().Before(until) {
				continue // the commit was due, not the batch
			}
			return err
		}
		if !b.add(rec, r.cfg.Kinds, r.m.bad, &r.log) {
			continue
		}
		if until.IsZero() {
			until = time.Now().Add(r.cfg.MaxWait)
		}
		if len(b.batch.Records) >= r.cfg.MaxRecords || b.batch.Bytes() >= r.cfg.MaxBytes {
			return nil
		}
	}
}

// next returns the next record, waiting at most until due (and
// idleWait, so that a drain is noticed).
func (r *Relay) next(due time.Time) (spool.Record, error) {
	if r.cfg.Reader.Pos() < r.cfg.Spool.Last() {
		return r.cfg.Reader.Next(r.ctx)
	}
	if soon := time.Now().Add(idleWait); soon.Before(due) {
		due = soon
	}
	ctx, cancel := context.WithDeadline(r.ctx, due)
	defer cancel()
	return r.cfg.Reader.Next(ctx)
}

// dispatch writes b: inline for a Positioned sink, which must see its
// batches one by one and be reset on failure, from a goroutine of its own
// otherwise. It returns false when the relay is stopped.
func (r *Relay) dispatch(b *pending) bool {
	b.seal()
	r.flight.start(b)
	if len(b.batch.Records) == 0 { // only records that are not batches
		r.flight.finish(b, true)
		return true
	}
	if r.positioned == nil {
		go r.deliver(b)
		return true
	}
	ok := r.write(b, false)
	r.flight.finish(b, ok)
	if !ok && r.ctx.Err() == nil {
		r.reset()
		return true
	}
	return ok
}

// deliver writes b until it is stored or the relay is stopped.
func (r *Relay) deliver(b *pending) {
	r.flight.finish(b, r.write(b, true))
}

// write hands b to the sink; with retry it tries again with backoff until
// the sink takes it, reconnecting when the sink is not connected. It
// returns false when b was not stored.
func (r *Relay) write(b *pending, retry bool) bool {
	for wait := firstBackoff; ; wait = min(2*wait, maxBackoff) {
		start := time.Now()
		err := r.cfg.Sink.WriteBatch(r.ctx, &b.batch)
		if err == nil {
			r.m.wrote(b, time.Since(start))
			return true
		}
		r.fail("writing a batch", err)
		if errors.Is(err, sink.ErrClosed) || !r.sleep(wait) {
			return false
		}
		if errors.Is(err, sink.ErrNotConnected) {
			r.connected.Store(false)
			if !r.connect() {
				return false
			}
		}
		if !retry {
			return false
		}
		r.m.retries.Inc()
	}
}

// connect calls the sink's Connect until it succeeds; it returns false
// when the relay is stopped first. Concurrent callers connect once.
func (r *Relay) connect() bool {
	r.conn.Lock()
	defer r.conn.Unlock()
	for wait := firstBackoff; !r.connected.Load(); wait = min(2*wait, maxBackoff) {
		err := r.cfg.Sink.Connect(r.ctx)
		if err == nil {
			r.connected.Store(true)
			r.m.connects.Inc()
			break
		}
		r.fail("connecting", err)
		if !r.sleep(wait) {
			return false
		}
	}
	return true
}

// commit moves the cursor to what the sink has made durable.
func (r *Relay) commit() {
	p := r.flight.done()
	if r.positioned != nil {
		d, lost := r.positioned.Durable()
		if lost {
			r.fail("completing a file", errors.New("a file could not be completed; its records are handed again"))
			r.reset()
			return
		}
		p = min(p, d)
	}
	if p <= r.cfg.Reader.Committed() {
		return
	}
	if err := r.cfg.Reader.Commit(p); err != nil {
		r.fail("committing the cursor", err)
		return
	}
	if r.positioned != nil {
		r.positioned.Committed(p)
	}
}

// reset drops what the sink has not made durable and rewinds to the
// cursor. Nothing may be in flight.
func (r *Relay) reset() {
	r.m.resets.Inc()
	cursor := r.cfg.Reader.Committed()
	if r.positioned != nil {
		if err := r.positioned.Reset(cursor); err != nil {
			r.fail("resetting the sink", err)
		}
	}
	r.cfg.Reader.Rewind()
	r.flight.rewind(cursor)
}

func (r *Relay) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// fail counts an error and logs it through the throttle.
func (r *Relay) fail(doing string, err error) {
	r.m.errs.Inc()
	r.log.error(doing, err)
}

// Drain hands the sink every record committed so far, waits for the
// batches in flight, and stops the relay; call it once nothing appends
// any more. On ctx's end it stops at once: what was not stored stays in
// the spool for the next start.
func (r *Relay) Drain(ctx context.Context) error {
	r.target.Store(r.cfg.Spool.Last())
	r.draining.Store(true)
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		r.Stop()
		return fmt.Errorf("draining the spool into %s: %w", r.cfg.Name, ctx.Err())
	}
}

// Stop stops the relay without draining; batches in flight are abandoned
// and handed again at the next start. It is idempotent.
func (r *Relay) Stop() {
	r.cancel()
	<-r.done
}

// Commit moves the cursor to what the sink has made durable; call it after
// Drain or Stop, once the sink is closed, so that the cursor covers the
// files Close completed.
func (r *Relay) Commit() {
	r.commit()
}

// throttledLog logs a sink's errors at most every 10 seconds.
type throttledLog struct {
	log  *slog.Logger
	sink string
	mu   sync.Mutex
	last time.Time
}

func (l *throttledLog) error(doing string, err error) {
	l.mu.Lock()
	now := time.Now()
	quiet := now.Sub(l.last) < 10*time.Second
	if !quiet {
		l.last = now
	}
	l.mu.Unlock()
	if !quiet {
		l.log.Error("sink: "+doing+" failed; the records stay in the spool", "sink", l.sink, "err", err)
	}
}
