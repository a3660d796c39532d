package kafkasink

import (
	"strings"
	"testing"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/sinktest"
)

// TestConformance runs the sinks' conformance suite against a
// three-broker in-process cluster, reading the rows back by consuming the
// topics to their high watermarks.
func TestConformance(t *testing.T) {
	c := newCluster(t)
	sinktest.Run(t, sinktest.Harness{
		Kinds: []sink.Kind{sink.KindEvents, sink.KindHeatmap, sink.KindConsent},
		Open: func(t *testing.T) (sink.Sink, func(t *testing.T) []sinktest.Row) {
			cfg := c.config()
			s, err := Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			read := func(t *testing.T) []sinktest.Row {
				kinds := map[string]sink.Kind{cfg.Topics.Events: sink.KindEvents,
					cfg.Topics.Heatmaps: sink.KindHeatmap, cfg.Topics.Consent: sink.KindConsent}
				var rows []sinktest.Row
				for _, r := range readTopics(t, cfg.Brokers, cfg.Topics.Events, cfg.Topics.Heatmaps, cfg.Topics.Consent) {
					if r.headers[HeaderKind] != kinds[r.topic].String() {
						t.Errorf("record on %s has kind header %q", r.topic, r.headers[HeaderKind])
					}
					rows = append(rows, sinktest.Row{Kind: kinds[r.topic], Line: r.value})
				}
				return rows
			}
			return s, read
		},
	})
}

func TestOpenChecksConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "no brokers"},
		{Config{Brokers: []string{"k:9092"}, SASL: &SASL{Mechanism: "gssapi", User: "u", Password: "p"}}, `unknown SASL mechanism "gssapi"`},
		{Config{Brokers: []string{"k:9092"}, SASL: &SASL{Mechanism: SASLScramSHA512, User: "u"}}, "a user and a password"},
	} {
		_, err := Open(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%+v) = %v, want an error saying %q", c.cfg, err, c.want)
		}
	}
}
