package spooled

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

// Defaults for the zero values of RelayConfig.
const (
	DefaultCommitEvery = time.Second
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
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Metrics; nil means a private set.
	Metrics *metrics.Set
}

// Relay hands a sink the spool's records, in order, from one goroutine.
type Relay struct {
	cfg        RelayConfig
	positioned sink.Positioned // nil when the sink is not
	ctx        context.Context
	cancel     context.CancelFunc
	done       chan struct{}
	handed     uint64 // the last position handed to the sink (or skipped)
	draining   atomic.Bool
	target     atomic.Uint64
	lastLog    time.Time

	batches, errs, resets, bad *metrics.Counter
}

// StartRelay starts feeding cfg.Sink from cfg.Reader.
func StartRelay(cfg RelayConfig) (*Relay, error) {
	if cfg.Spool == nil || cfg.Reader == nil || cfg.Sink == nil || cfg.Name == "" {
		return nil, errors.New("starting relay: Spool, Reader, Sink and Name are required")
	}
	if cfg.CommitEvery <= 0 {
		cfg.CommitEvery = DefaultCommitEvery
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.NewSet()
	}
	r := &Relay{cfg: cfg, done: make(chan struct{}), handed: cfg.Reader.Committed()}
	r.positioned, _ = cfg.Sink.(sink.Positioned)
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.register(cfg.Metrics)
	if behind := cfg.Spool.Last() - r.handed; behind > 0 {
		cfg.Logger.Info("replaying spooled batches", "sink", cfg.Name, "records", behind, "after", r.handed)
	}
	go r.run()
	return r, nil
}

func (r *Relay) register(set *metrics.Set) {
	label := `{sink="` + r.cfg.Name + `"}`
	r.batches = set.NewCounter("crumbless_sink_batches_total" + label)
	r.errs = set.NewCounter("crumbless_sink_errors_total" + label)
	r.resets = set.NewCounter("crumbless_sink_resets_total" + label)
	r.bad = set.NewCounter("crumbless_sink_bad_records_total" + label)
	set.NewGauge("crumbless_sink_lag_records"+label, func() float64 {
		return float64(r.cfg.Spool.Last() - r.cfg.Reader.Committed())
	})
}

func (r *Relay) run() {
	defer close(r.done)
	due := time.Now().Add(r.cfg.CommitEvery)
	for {
		if r.draining.Load() && r.cfg.Reader.Pos() >= r.target.Load() {
			return
		}
		if now := time.Now(); !now.Before(due) {
			r.commit()
			due = now.Add(r.cfg.CommitEvery)
		}
		rec, err := r.next(due)
		switch {
		case err == nil:
			if !r.deliver(rec) {
				return
			}
		case errors.Is(err, context.DeadlineExceeded):
		case r.ctx.Err() != nil || errors.Is(err, spool.ErrClosed):
			return
		default:
			r.fail("reading the spool", err)
			if !r.sleep(time.Second) {
				return
			}
			r.reset()
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

// deliver hands rec to the sink, retrying with backoff; it returns false
// when the relay is stopped. A Positioned sink that fails is Reset and the
// records after the cursor are handed again.
func (r *Relay) deliver(rec spool.Record) bool {
	var b sink.Batch
	if err := decode(&b, rec.Data, rec.Pos); err != nil {
		r.bad.Inc()
		r.cfg.Logger.Error("skipping a spool record that is not a batch", "sink", r.cfg.Name, "pos", rec.Pos)
		r.handed = rec.Pos
		return true
	}
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, maxBackoff) {
		err := r.cfg.Sink.WriteBatch(r.ctx, &b)
		if err == nil {
			r.handed = rec.Pos
			r.batches.Inc()
			return true
		}
		r.fail("writing a batch", err)
		if errors.Is(err, sink.ErrClosed) || !r.sleep(wait) {
			return false
		}
		if r.positioned != nil {
			r.reset()
			return true
		}
	}
}

// commit moves the cursor to what the sink has made durable.
func (r *Relay) commit() {
	p := r.handed
	if r.positioned != nil {
		d, lost := r.positioned.Durable()
		if lost {
			r.fail("completing a file", errors.New("a file could not be completed; its batches are handed again"))
			r.reset()
			return
		}
		p = min(p, d)
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
// cursor.
func (r *Relay) reset() {
	r.resets.Inc()
	cursor := r.cfg.Reader.Committed()
	if r.positioned != nil {
		if err := r.positioned.Reset(cursor); err != nil {
			r.fail("resetting the sink", err)
		}
	}
	r.cfg.Reader.Rewind()
	r.handed = cursor
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

// fail counts an error and logs it at most every 10 seconds.
func (r *Relay) fail(doing string, err error) {
	r.errs.Inc()
	if now := time.Now(); now.Sub(r.lastLog) >= 10*time.Second {
		r.lastLog = now
		r.cfg.Logger.Error("sink: "+doing+" failed; the batches stay in the spool", "sink", r.cfg.Name, "err", err)
	}
}

// Drain hands the sink every record committed so far and stops the relay;
// call it once nothing appends any more. On ctx's end it stops at once:
// what was not handed stays in the spool for the next start.
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

// Stop stops the relay without draining. It is idempotent.
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
