package s3sink

import (
	"testing"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/sinktest"
)

func TestConformance(t *testing.T) {
	sinktest.Run(t, sinktest.Harness{
		Open: func(t *testing.T) (sink.Sink, func(t *testing.T) []sinktest.Row) {
			srv := startServer(t)
			return openSink(t, srv.config(t)), srv.rows
		},
		Kinds: []sink.Kind{sink.KindEvents, sink.KindHeatmap, sink.KindConsent},
	})
}
