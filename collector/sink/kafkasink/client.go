package kafkasink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// clientOptions are the producer's options: idempotent (franz-go's
// default with acks from all in-sync replicas), zstd batches, no retry
// limit of its own (WriteBatch bounds the wait) and a bound on buffered
// bytes.
func (c Config) clientOptions() []kgo.Opt {
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Brokers...),
		kgo.ClientID(c.ClientID),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchCompression(kgo.ZstdCompression(), kgo.NoCompression()),
		kgo.ProducerLinger(0), // WriteBatch hands the whole batch at once, then waits
		kgo.ProduceRequestTimeout(c.ProduceTimeout),
		kgo.MaxBufferedBytes(c.MaxBufferedBytes),
		kgo.WithLogger(slogAdapter{c.Logger}),
	}
	if c.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(c.TLS))
	}
	if c.SASL != nil {
		opts = append(opts, kgo.SASL(c.SASL.mechanism()))
	}
	return opts
}

func (s *SASL) mechanism() sasl.Mechanism {
	switch s.Mechanism {
	case SASLScramSHA256:
		return scram.Auth{User: s.User, Pass: s.Password}.AsSha256Mechanism()
	case SASLScramSHA512:
		return scram.Auth{User: s.User, Pass: s.Password}.AsSha512Mechanism()
	default:
		return plain.Auth{User: s.User, Pass: s.Password}.AsMechanism()
	}
}

// dial makes a client and checks that a broker answers and the topics
// exist, creating them if configured to.
func (c Config) dial(ctx context.Context) (*kgo.Client, error) {
	cl, err := kgo.NewClient(c.clientOptions()...)
	if err != nil {
		return nil, fmt.Errorf("configuring the Kafka client: %w", err)
	}
	if err := c.ready(ctx, cl); err != nil {
		cl.Close()
		return nil, err
	}
	return cl, nil
}

func (c Config) ready(ctx context.Context, cl *kgo.Client) error {
	if err := cl.Ping(ctx); err != nil {
		return fmt.Errorf("reaching the Kafka brokers %v: %w", c.Brokers, err)
	}
	missing, err := c.missingTopics(ctx, cl)
	if err != nil || len(missing) == 0 {
		return err
	}
	if !c.CreateTopics {
		return fmt.Errorf("kafka topics %v do not exist: create them, or let the collector create them", missing)
	}
	return c.createTopics(ctx, cl, missing)
}

func (c Config) topics() []string {
	return []string{c.Topics.Events, c.Topics.Heatmaps, c.Topics.Consent}
}

// missingTopics asks for the topics' metadata without creating them.
func (c Config) missingTopics(ctx context.Context, cl *kgo.Client) ([]string, error) {
	req := kmsg.NewPtrMetadataRequest()
	for _, name := range c.topics() {
		t := kmsg.NewMetadataRequestTopic()
		t.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, t)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, fmt.Errorf("reading the metadata of the Kafka topics: %w", err)
	}
	var missing []string
	for _, t := range resp.Topics {
		switch err := kerr.ErrorForCode(t.ErrorCode); {
		case errors.Is(err, kerr.UnknownTopicOrPartition):
			missing = append(missing, *t.Topic)
		case err != nil:
			return nil, fmt.Errorf("reading the metadata of Kafka topic %s: %w", *t.Topic, err)
		}
	}
	return missing, nil
}

func (c Config) createTopics(ctx context.Context, cl *kgo.Client, names []string) error {
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = int32(c.ProduceTimeout.Milliseconds())
	for _, name := range names {
		t := kmsg.NewCreateTopicsRequestTopic()
		t.Topic = name
		t.NumPartitions, t.ReplicationFactor = -1, -1 // the brokers' defaults
		if c.Partitions > 0 {
			t.NumPartitions = c.Partitions
		}
		if c.ReplicationFactor > 0 {
			t.ReplicationFactor = c.ReplicationFactor
		}
		req.Topics = append(req.Topics, t)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return fmt.Errorf("creating Kafka topics %v: %w", names, err)
	}
	for _, t := range resp.Topics {
		err := kerr.ErrorForCode(t.ErrorCode)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("creating Kafka topic %s: %w", t.Topic, err)
		}
	}
	return nil
}

// slogAdapter passes the client's warnings and errors to a slog.Logger.
type slogAdapter struct{ log *slog.Logger }

func (a slogAdapter) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (a slogAdapter) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	l := slog.LevelWarn
	if level == kgo.LogLevelError {
		l = slog.LevelError
	}
	a.log.Log(context.Background(), l, "kafka: "+msg, keyvals...)
}
