package collector

import (
	"errors"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
)

// SinksConfig configures the outputs besides the files (sinks.kafka,
// sinks.s3). Each reads the spool with a cursor of its own, so one that is
// down holds back only its own cursor; while it is down the spool keeps
// its records, up to spool.budget_bytes.
type SinksConfig struct {
	// S3 uploads to S3-compatible object storage.
	S3 S3Config `yaml:"s3"`
	// Kafka produces every row to Kafka.
	Kafka KafkaConfig `yaml:"kafka"`
}

func validateSinks(ps *problems, c SinksConfig) {
	validateS3(ps, c.S3)
	validateKafka(ps, c.Kafka)
}

// BatchingConfig tunes how the sinks framework hands records to one
// output; the zero value of each field means its default.
type BatchingConfig struct {
	// MaxRecords is the most spool records (accepted requests) in one
	// batch. Default 256.
	MaxRecords int `yaml:"max_records"`
	// MaxBytes is the most bytes of rows in one batch. Default 1 MiB.
	MaxBytes int `yaml:"max_bytes"`
	// MaxWait is how long a batch waits to fill. Default 100ms.
	MaxWait time.Duration `yaml:"max_wait"`
	// MaxInFlight is how many batches may be written at once. Default 1.
	MaxInFlight int `yaml:"max_in_flight"`
}

func validateBatching(ps *problems, field string, c BatchingConfig) {
	if c.MaxRecords < 0 {
		ps.add(field+".max_records", "%d is negative; leave it out for the default of 256", c.MaxRecords)
	}
	if c.MaxBytes < 0 {
		ps.add(field+".max_bytes", "%d is negative; leave it out for the default of 1 MiB", c.MaxBytes)
	}
	if c.MaxWait < 0 {
		ps.add(field+".max_wait", "%s is negative; leave it out for the default of 100ms", c.MaxWait)
	}
	if c.MaxInFlight < 0 || c.MaxInFlight > 64 {
		ps.add(field+".max_in_flight", "%d is out of range; write 1 to 64, or leave it out for 1", c.MaxInFlight)
	}
}

// output is one sink fed from the spool besides the files.
type output struct {
	// name is the spool consumer's name (its cursor file is NAME.cursor)
	// and the metrics' sink label.
	name     string
	sink     sink.Sink
	batching BatchingConfig
	relay    *spooled.Relay
}

// openOutputs creates the configured outputs, not yet connected: their
// relays connect them.
func (s *Server) openOutputs() ([]*output, error) {
	var outs []*output
	var errs []error
	if o, err := s.openS3(); err != nil {
		errs = append(errs, err)
	} else if o != nil {
		outs = append(outs, o)
	}
	if o, err := s.openKafka(); err != nil {
		errs = append(errs, err)
	} else if o != nil {
		outs = append(outs, o)
	}
	return outs, errors.Join(errs...)
}

func (o *output) relayConfig(s *Server) spooled.RelayConfig {
	return spooled.RelayConfig{
		Sink: o.sink, Name: o.name, Logger: s.log, Metrics: s.metrics,
		MaxRecords: o.batching.MaxRecords, MaxBytes: o.batching.MaxBytes,
		MaxWait: o.batching.MaxWait, MaxInFlight: o.batching.MaxInFlight,
	}
}
