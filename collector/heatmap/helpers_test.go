package heatmap

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
)

var day = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// raw is one raw heatmap row to write.
type raw struct {
	path, viewport, layer, selector, cells, visitor string
}

// json returns the row as the collector writes it (an event row of type
// heatmap); visitor_id is left out when empty.
func (r raw) json(n int, at time.Time) string {
	ts := at.Format("2006-01-02T15:04:05.000Z")
	s := fmt.Sprintf(`{"event_id":"e%d","type":"heatmap","site":"example.com","ts":%q,"received_at":%q,"path":%q,"referrer":"","viewport":%q,"layer":%q`,
		n, ts, ts, r.path, r.viewport, r.layer)
	if r.selector != "" {
		s += fmt.Sprintf(`,"selector":%q`, r.selector)
	}
	s += fmt.Sprintf(`,"cells":%q,"tier":"T2"`, r.cells)
	if r.visitor != "" {
		s += fmt.Sprintf(`,"visitor_id":%q`, r.visitor)
	}
	return s + `,"device":"desktop","schema_version":1}`
}

// writeRaw writes rows for example.com received at `at` through the file
// sink, as the collector does.
func writeRaw(t *testing.T, dir string, at time.Time, rows ...raw) {
	t.Helper()
	s, err := filesink.Open(RawSinkConfig(filesink.Config{Dir: dir, Now: func() time.Time { return at },
		Logger: slog.New(slog.DiscardHandler)}))
	if err != nil {
		t.Fatal(err)
	}
	b := &sink.Record{Kind: sink.KindHeatmap, Site: []byte("example.com"), ReceivedAt: at, Events: len(rows)}
	for i, r := range rows {
		b.Rows = append(b.Rows, r.json(i, at)+"\n"...)
	}
	if err := s.Append(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// visitors returns n rows of r, each from another visitor.
func visitors(r raw, n int, prefix string) []raw {
	out := make([]raw, n)
	for i := range out {
		out[i] = r
		out[i].visitor = fmt.Sprintf("%s%015x", prefix, i)
	}
	return out
}
