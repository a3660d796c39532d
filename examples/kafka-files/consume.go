package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/kafkasink"
)

// config is what run needs.
type config struct {
	brokers     []string
	group       string
	dir         string
	topics      kafkasink.Topics
	commitEvery time.Duration
	log         *slog.Logger
}

// consumer is the group member and the files it writes; mu serialises the
// files between the poll loop and the group's revoke callback.
type consumer struct {
	cfg   config
	kinds map[string]sink.Kind // by topic
	cl    *kgo.Client

	mu          sync.Mutex
	files       *files
	uncommitted bool // files completed whose offsets are not committed yet
}

// run consumes until ctx ends, then completes the files and commits.
func run(ctx context.Context, cfg config) error {
	c := &consumer{cfg: cfg, kinds: map[string]sink.Kind{
		cfg.topics.Events: sink.KindEvents, cfg.topics.Heatmaps: sink.KindHeatmap, cfg.topics.Consent: sink.KindConsent}}
	var err error
	if c.files, err = openFiles(cfg.dir); err != nil {
		return err
	}
	c.cl, err = kgo.NewClient(
		kgo.SeedBrokers(cfg.brokers...),
		kgo.ConsumerGroup(cfg.group),
		kgo.ConsumeTopics(cfg.topics.Events, cfg.topics.Heatmaps, cfg.topics.Consent),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(), // no revoke between a poll and its rows' write
		kgo.OnPartitionsRevoked(func(ctx context.Context, _ *kgo.Client, _ map[string][]int32) {
			if err := c.checkpoint(ctx); err != nil {
				cfg.log.Error("checkpoint before giving partitions up", "err", err)
			}
		}),
	)
	if err != nil {
		return fmt.Errorf("configuring the Kafka client: %w", err)
	}
	defer c.cl.Close()
	loopErr := c.loop(ctx)
	final, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = c.checkpoint(final)
	c.mu.Lock()
	err = errors.Join(loopErr, err, c.files.close())
	c.files = nil
	c.mu.Unlock()
	return err
}

// loop polls and writes until ctx ends, checkpointing every commitEvery.
func (c *consumer) loop(ctx context.Context) error {
	due := time.Now().Add(c.cfg.commitEvery)
	for ctx.Err() == nil {
		pollCtx, cancel := context.WithDeadline(ctx, due)
		fs := c.cl.PollFetches(pollCtx)
		cancel()
		for _, e := range fs.Errors() {
			if !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded) {
				c.cfg.log.Warn("fetching", "topic", e.Topic, "partition", e.Partition, "err", e.Err)
			}
		}
		err := c.write(ctx, fs.Records())
		c.cl.AllowRebalance()
		if err != nil {
			return err
		}
		if time.Now().After(due) {
			if err := c.checkpoint(ctx); err != nil {
				if ctx.Err() != nil {
					return nil // stopping: run's final checkpoint commits
				}
				return err
			}
			due = time.Now().Add(c.cfg.commitEvery)
		}
	}
	return nil
}

func (c *consumer) write(ctx context.Context, recs []*kgo.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files.write(ctx, recs, c.kinds)
}

// checkpoint completes the files written so far (the file sinks' Close
// fsyncs and publishes them), commits the offsets of every record polled,
// and opens new file sinks.
// Offsets whose files are complete but whose commit failed (ctx ended
// during it) are committed by the next checkpoint, even with nothing new
// written.
func (c *consumer) checkpoint(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil || !c.files.dirty && !c.uncommitted {
		return nil
	}
	if c.files.dirty {
		if err := c.files.close(); err != nil {
			return err // nothing committed: the rows are consumed again at the next start
		}
		var err error
		if c.files, err = openFiles(c.cfg.dir); err != nil {
			return err
		}
		c.uncommitted = true
	}
	if err := c.cl.CommitUncommittedOffsets(ctx); err != nil {
		return fmt.Errorf("committing offsets: %w", err)
	}
	c.uncommitted = false
	return nil
}
