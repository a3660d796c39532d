package collector

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"time"

	"github.com/crumbless/crumbless/collector/sink/kafkasink"
)

// KafkaConfig configures sinks.kafka: every row produced to Kafka, one
// record per row, on a topic per kind, keyed by site and visitor so that a
// visitor's rows stay in order in one partition. It is on when brokers is
// set. Delivery is at-least-once: a batch retried after a timeout may be
// produced twice; consumers deduplicate on event_id (collector/sink/kafkasink).
//
//	sinks:
//	  kafka:
//	    brokers: ["kafka-1:9092", "kafka-2:9092"]
//	    tls: { enabled: true }
//	    sasl: { mechanism: scram-sha-512, username: crumbless }  # password in CRUMBLESS_KAFKA_PASSWORD
type KafkaConfig struct {
	// Brokers are seed brokers, host:port; the rest are discovered.
	Brokers []string `yaml:"brokers"`
	// Topics are the topics per kind; default crumbless.events,
	// crumbless.heatmaps and crumbless.consent.
	Topics KafkaTopics `yaml:"topics"`
	// ClientID names the collector in the brokers' logs and quotas.
	// Default crumbless.
	ClientID string `yaml:"client_id"`
	// ProduceTimeout is how long a batch may wait for the brokers'
	// acknowledgement before it is handed again. Default 30s.
	ProduceTimeout time.Duration `yaml:"produce_timeout"`
	// CreateTopics creates the topics that do not exist, with Partitions
	// partitions and ReplicationFactor replicas (0: the brokers'
	// defaults). Off by default: a missing topic is reported and retried.
	CreateTopics      bool  `yaml:"create_topics"`
	Partitions        int32 `yaml:"partitions"`
	ReplicationFactor int16 `yaml:"replication_factor"`
	// TLS encrypts the connections.
	TLS KafkaTLS `yaml:"tls"`
	// SASL authenticates the collector.
	SASL KafkaSASL `yaml:"sasl"`
	// Batching tunes how records are grouped into produce calls. With
	// max_in_flight above 1, throughput rises but a visitor's rows from
	// different batches may land out of order.
	Batching BatchingConfig `yaml:"batching"`
}

// KafkaTopics are the topics per kind.
type KafkaTopics struct {
	Events   string `yaml:"events"`
	Heatmaps string `yaml:"heatmaps"`
	Consent  string `yaml:"consent"`
}

// KafkaTLS configures TLS to the brokers.
type KafkaTLS struct {
	// Enabled turns TLS on; the other keys need it.
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM file of the authorities that sign the brokers'
	// certificates; default the system's.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// brokers that require one.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ServerName is the name the brokers' certificates must carry; default
	// the host of each broker's address.
	ServerName string `yaml:"server_name"`
}

// KafkaSASL configures SASL authentication.
type KafkaSASL struct {
	// Mechanism is plain, scram-sha-256 or scram-sha-512; "" turns SASL
	// off.
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	// PasswordEnv names the environment variable holding the password,
	// never written in this file. Default CRUMBLESS_KAFKA_PASSWORD.
	PasswordEnv string `yaml:"password_env"`
}

// DefaultKafkaPasswordEnv is the default of KafkaSASL.PasswordEnv.
const DefaultKafkaPasswordEnv = "CRUMBLESS_KAFKA_PASSWORD"

var kafkaTopic = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)

func (c KafkaConfig) on() bool { return len(c.Brokers) > 0 }

func (c KafkaSASL) passwordEnv() string { return or(c.PasswordEnv, DefaultKafkaPasswordEnv) }

// validateKafka checks sinks.kafka, without ever quoting the password.
func validateKafka(ps *problems, c KafkaConfig) {
	if !c.on() {
		if !reflect.ValueOf(c).IsZero() {
			ps.add("sinks.kafka.brokers", "is empty; list the brokers as host:port, like [\"kafka-1:9092\"], or remove sinks.kafka")
		}
		return
	}
	for i, b := range c.Brokers {
		if msg := brokerProblem(b); msg != "" {
			ps.add(fmt.Sprintf("sinks.kafka.brokers[%d]", i), "%q %s", b, msg)
		}
	}
	validateKafkaTopics(ps, c.Topics)
	if c.ProduceTimeout < 0 {
		ps.add("sinks.kafka.produce_timeout", "%s is negative; leave it out for the default of 30s", c.ProduceTimeout)
	}
	if c.Partitions < 0 || c.ReplicationFactor < 0 {
		ps.add("sinks.kafka", "partitions and replication_factor must not be negative; 0 means the brokers' defaults")
	}
	if !c.CreateTopics && (c.Partitions != 0 || c.ReplicationFactor != 0) {
		ps.add("sinks.kafka.create_topics", "is off, so partitions and replication_factor are not used; turn it on or remove them")
	}
	if _, err := c.TLS.config(); err != nil {
		ps.add("sinks.kafka.tls", "%v", err)
	}
	validateKafkaSASL(ps, c.SASL)
	validateBatching(ps, "sinks.kafka.batching", c.Batching)
}

func brokerProblem(b string) string {
	host, port, err := net.SplitHostPort(b)
	if err != nil || host == "" {
		return "is not host:port; write it like kafka-1:9092"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "has no valid port; write it like kafka-1:9092"
	}
	return ""
}

func validateKafkaTopics(ps *problems, t KafkaTopics) {
	seen := map[string]string{}
	for _, f := range []struct{ key, topic, def string }{
		{"events", t.Events, kafkasink.DefaultEventsTopic},
		{"heatmaps", t.Heatmaps, kafkasink.DefaultHeatmapsTopic},
		{"consent", t.Consent, kafkasink.DefaultConsentTopic},
	} {
		path := "sinks.kafka.topics." + f.key
		name := or(f.topic, f.def)
		if !kafkaTopic.MatchString(name) || name == "." || name == ".." {
			ps.add(path, "%q is not a Kafka topic name; use up to 249 letters, digits, dots, underscores and dashes", name)
		} else if other, dup := seen[name]; dup {
			ps.add(path, "%q is also the topic of %s; each kind needs a topic of its own", name, other)
		}
		seen[name] = f.key
	}
}

func validateKafkaSASL(ps *problems, c KafkaSASL) {
	switch c.Mechanism {
	case "":
		if c != (KafkaSASL{}) {
			ps.add("sinks.kafka.sasl.mechanism", "is empty; write plain, scram-sha-256 or scram-sha-512, or remove sinks.kafka.sasl")
		}
		return
	case kafkasink.SASLPlain, kafkasink.SASLScramSHA256, kafkasink.SASLScramSHA512:
	default:
		ps.add("sinks.kafka.sasl.mechanism", "%q is not supported; write plain, scram-sha-256 or scram-sha-512", c.Mechanism)
	}
	if c.Username == "" {
		ps.add("sinks.kafka.sasl.username", "is empty; write the Kafka user the collector logs in as")
	}
	if c.PasswordEnv != "" && !envName.MatchString(c.PasswordEnv) {
		ps.add("sinks.kafka.sasl.password_env", "%q is not an environment variable name; write the name of the variable that holds the password, never the password itself", c.PasswordEnv)
	} else if os.Getenv(c.passwordEnv()) == "" {
		ps.add("sinks.kafka.sasl.password_env", "the environment variable %s is not set; set it to the Kafka user's password", c.passwordEnv())
	}
}

// config returns the TLS configuration, nil when TLS is off.
func (c KafkaTLS) config() (*tls.Config, error) {
	if !c.Enabled {
		if c != (KafkaTLS{}) {
			return nil, errors.New("ca_file, cert_file, key_file and server_name need enabled: true")
		}
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading ca_file: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s holds no PEM certificate", c.CAFile)
		}
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return nil, errors.New("cert_file and key_file go together; write both, or neither")
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading the client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// openKafka returns the Kafka output, or nil when sinks.kafka is off.
func (s *Server) openKafka() (*output, error) {
	c := s.cfg.Sinks.Kafka
	if !c.on() {
		return nil, nil
	}
	tlsConfig, err := c.TLS.config()
	if err != nil {
		return nil, fmt.Errorf("opening sinks.kafka: tls: %w", err)
	}
	cfg := kafkasink.Config{
		Brokers:  c.Brokers,
		Topics:   kafkasink.Topics{Events: c.Topics.Events, Heatmaps: c.Topics.Heatmaps, Consent: c.Topics.Consent},
		ClientID: c.ClientID, TLS: tlsConfig, ProduceTimeout: c.ProduceTimeout,
		CreateTopics: c.CreateTopics, Partitions: c.Partitions, ReplicationFactor: c.ReplicationFactor,
		Logger: s.log, Metrics: s.metrics,
	}
	if c.SASL.Mechanism != "" {
		cfg.SASL = &kafkasink.SASL{Mechanism: c.SASL.Mechanism, User: c.SASL.Username, Password: os.Getenv(c.SASL.passwordEnv())}
	}
	sk, err := kafkasink.Open(cfg)
	if err != nil {
		return nil, fmt.Errorf("opening sinks.kafka: %w", err)
	}
	return &output{name: "kafka", sink: sk, batching: c.Batching}, nil
}
