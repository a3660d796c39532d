package collector

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestValidateKafka(t *testing.T) {
	t.Setenv(DefaultKafkaPasswordEnv, "pw")
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := KafkaConfig{Brokers: []string{"kafka-1:9092", "10.0.0.2:9093"}}
	for _, tc := range []struct {
		edit func(*KafkaConfig)
		want string
	}{
		{func(c *KafkaConfig) {}, ""},
		{func(c *KafkaConfig) { *c = KafkaConfig{} }, ""}, // off
		{func(c *KafkaConfig) {
			c.SASL = KafkaSASL{Mechanism: "scram-sha-512", Username: "crumbless"}
			c.TLS.Enabled = true
		}, ""},
		{func(c *KafkaConfig) { c.Brokers = nil; c.ClientID = "x" }, "sinks.kafka.brokers: is empty; list the brokers"},
		{func(c *KafkaConfig) { c.Brokers[1] = "kafka-2" }, `sinks.kafka.brokers[1]: "kafka-2" is not host:port`},
		{func(c *KafkaConfig) { c.Brokers[0] = "kafka-1:http" }, `sinks.kafka.brokers[0]: "kafka-1:http" has no valid port`},
		{func(c *KafkaConfig) { c.Topics.Heatmaps = "heat maps" }, `sinks.kafka.topics.heatmaps: "heat maps" is not a Kafka topic name`},
		{func(c *KafkaConfig) { c.Topics.Consent = "crumbless.events" }, `sinks.kafka.topics.consent: "crumbless.events" is also the topic of events`},
		{func(c *KafkaConfig) { c.ProduceTimeout = -time.Second }, "sinks.kafka.produce_timeout: -1s is negative"},
		{func(c *KafkaConfig) { c.Partitions = 6 }, "sinks.kafka.create_topics: is off, so partitions and replication_factor are not used"},
		{func(c *KafkaConfig) { c.TLS.CAFile = notPEM }, "sinks.kafka.tls: ca_file, cert_file, key_file and server_name need enabled: true"},
		{func(c *KafkaConfig) { c.TLS = KafkaTLS{Enabled: true, CAFile: notPEM} }, "holds no PEM certificate"},
		{func(c *KafkaConfig) { c.TLS = KafkaTLS{Enabled: true, CertFile: notPEM} }, "cert_file and key_file go together"},
		{func(c *KafkaConfig) { c.SASL = KafkaSASL{Username: "u"} }, "sinks.kafka.sasl.mechanism: is empty"},
		{func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: "gssapi", Username: "u"} }, `sinks.kafka.sasl.mechanism: "gssapi" is not supported`},
		{func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: "plain"} }, "sinks.kafka.sasl.username: is empty"},
		{func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: "plain", Username: "u", PasswordEnv: "hunter2!"} }, `sinks.kafka.sasl.password_env: "hunter2!" is not an environment variable name`},
		{func(c *KafkaConfig) {
			c.SASL = KafkaSASL{Mechanism: "plain", Username: "u", PasswordEnv: "CRUMBLESS_TEST_UNSET_KAFKA"}
		}, "the environment variable CRUMBLESS_TEST_UNSET_KAFKA is not set"},
		{func(c *KafkaConfig) { c.Batching.MaxInFlight = 65 }, "sinks.kafka.batching.max_in_flight: 65 is out of range"},
	} {
		cfg, _ := testConfig(t)
		cfg.Sinks.Kafka = ok
		cfg.Sinks.Kafka.Brokers = append([]string(nil), ok.Brokers...)
		tc.edit(&cfg.Sinks.Kafka)
		err := cfg.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", cfg.Sinks.Kafka, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: %v, want %q", cfg.Sinks.Kafka, err, tc.want)
		}
	}
}

// TestKafkaOutput runs a collector with sinks.kafka pointing at an
// in-process Kafka-protocol cluster: the rows of a batch it accepts are
// produced to crumbless.events, one record per row.
func TestKafkaOutput(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(3))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	cfg, _ := testConfig(t)
	cfg.Sinks.Kafka = KafkaConfig{Brokers: cluster.ListenAddrs(), CreateTopics: true, Partitions: 3, ReplicationFactor: 3,
		Batching: BatchingConfig{MaxWait: 20 * time.Millisecond}}
	srv := start(t, cfg)
	if resp := post(t, srv.url, batchBody(t, "example.com", 3), testOrigin); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /e: %s", resp.Status)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...), kgo.ConsumeTopics("crumbless.events"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	var paths []string
	for len(paths) < 3 && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			var row map[string]any
			if err := json.Unmarshal(r.Value, &row); err != nil {
				t.Fatalf("record %q: %v", r.Value, err)
			}
			paths = append(paths, row["path"].(string))
			if len(r.Key) != 8 || len(r.Headers) != 3 {
				t.Errorf("record with key %x and headers %v", r.Key, r.Headers)
			}
		})
	}
	if len(paths) != 3 {
		t.Fatalf("%d rows in Kafka 15s after the batch, want 3 (%q)", len(paths), paths)
	}
}

func TestParseKafkaConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/kafka.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	k := cfg.Sinks.Kafka
	if len(k.Brokers) != 2 || k.Topics.Events != "analytics.events" || k.ProduceTimeout != 15*time.Second ||
		!k.TLS.Enabled || k.SASL.Mechanism != "scram-sha-512" || k.Batching.MaxInFlight != 1 {
		t.Errorf("sinks.kafka parsed as %+v", k)
	}
}
