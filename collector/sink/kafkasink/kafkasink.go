// Package kafkasink is the Kafka output: one Kafka record per NDJSON row,
// on a topic per kind (crumbless.events, crumbless.heatmaps,
// crumbless.consent by default), produced with franz-go's idempotent
// producer and acknowledged by every in-sync replica.
//
// Each record's key is the 8-byte big-endian xxhash of the site, a zero
// byte and the row's visitor_id, so that a visitor's rows land in one
// partition; a row without visitor_id (consent records, cookieless
// counting) is keyed by its event_id instead, which spreads such rows
// evenly. Its value is the row without its newline, its timestamp the
// request's received_at, and its headers schema_version (the row's
// schema_version, a consent record's schema, or row.SchemaVersion), site
// and kind. The keys are found by walking the
// row's bytes (scanRow), not by decoding it.
//
// WriteBatch returns only once every record of the batch is acknowledged,
// so the sinks framework (collector/sink/spooled) moves the spool's cursor
// only past rows Kafka has. Delivery is at least once: a batch that times
// out (Config.ProduceTimeout) or fails is handed again, and the rows of it
// Kafka had already taken are then stored twice. Consumers deduplicate on
// event_id. Within a batch, and across batches when the output has one
// batch in flight and none is retried, a visitor's rows keep their spool
// order in their partition.
//
// It must not import collector; it imports collector/sink and
// collector/row.
package kafkasink

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/VictoriaMetrics/metrics"
)

// Defaults for the zero values of Config.
const (
	DefaultEventsTopic    = "crumbless.events"
	DefaultHeatmapsTopic  = "crumbless.heatmaps"
	DefaultConsentTopic   = "crumbless.consent"
	DefaultClientID       = "crumbless"
	DefaultProduceTimeout = 30 * time.Second
	// DefaultMaxBufferedBytes bounds the rows the client holds for
	// batches in flight.
	DefaultMaxBufferedBytes = 256 << 20
)

// Config configures a Sink. Brokers is required; the zero value of every
// other field means its default.
type Config struct {
	// Brokers are the seed brokers, host:port.
	Brokers []string
	// Topics are the topics per kind.
	Topics Topics
	// ClientID names the client in the brokers' logs and quotas.
	// Default "crumbless".
	ClientID string
	// TLS, when set, encrypts the connections.
	TLS *tls.Config
	// SASL, when set, authenticates the connections.
	SASL *SASL
	// ProduceTimeout bounds one WriteBatch (and one Connect): past it the
	// batch fails, the sink drops its connection and the framework
	// reconnects and hands the batch again. Default 30s.
	ProduceTimeout time.Duration
	// CreateTopics makes Connect create the topics that do not exist,
	// with Partitions partitions and ReplicationFactor replicas (0 means
	// the brokers' defaults). Without it a missing topic fails Connect.
	CreateTopics      bool
	Partitions        int32
	ReplicationFactor int16
	// MaxBufferedBytes bounds the rows the client buffers; a WriteBatch
	// past it waits for room. Default 256 MiB.
	MaxBufferedBytes int
	// Logger receives the client's warnings and errors; nil means
	// slog.Default().
	Logger *slog.Logger
	// Metrics receives the sink's counters; nil means a private set.
	Metrics *metrics.Set
}

// Topics are the topics per kind.
type Topics struct {
	Events, Heatmaps, Consent string
}

// SASL mechanisms.
const (
	SASLPlain       = "plain"
	SASLScramSHA256 = "scram-sha-256"
	SASLScramSHA512 = "scram-sha-512"
)

// SASL is a user's credentials and the mechanism that presents them.
type SASL struct {
	// Mechanism is SASLPlain, SASLScramSHA256 or SASLScramSHA512.
	Mechanism string
	User      string
	Password  string
}

func (c Config) withDefaults() Config {
	c.Topics.Events = or(c.Topics.Events, DefaultEventsTopic)
	c.Topics.Heatmaps = or(c.Topics.Heatmaps, DefaultHeatmapsTopic)
	c.Topics.Consent = or(c.Topics.Consent, DefaultConsentTopic)
	c.ClientID = or(c.ClientID, DefaultClientID)
	if c.ProduceTimeout <= 0 {
		c.ProduceTimeout = DefaultProduceTimeout
	}
	if c.MaxBufferedBytes <= 0 {
		c.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = metrics.NewSet()
	}
	return c
}

// check returns what is wrong with c, defaults applied.
func (c Config) check() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("no brokers"))
	}
	if s := c.SASL; s != nil {
		switch s.Mechanism {
		case SASLPlain, SASLScramSHA256, SASLScramSHA512:
		default:
			errs = append(errs, fmt.Errorf("unknown SASL mechanism %q", s.Mechanism))
		}
		if s.User == "" || s.Password == "" {
			errs = append(errs, errors.New("SASL needs a user and a password"))
		}
	}
	if c.Partitions < 0 || c.ReplicationFactor < 0 {
		errs = append(errs, errors.New("negative partitions or replication factor"))
	}
	return errors.Join(errs...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
