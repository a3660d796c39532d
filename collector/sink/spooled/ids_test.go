package spooled

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

func TestIDsOfEveryKind(t *testing.T) {
	var events strings.Builder
	for _, id := range []string{"a-1", "b-2", `q\"uote`} {
		events.WriteString(`{"event_id":"` + id + `","type":"pageview","site":"example.com","path":"/` + strings.Repeat("x", 100) + `"}` + "\n")
	}
	for _, tt := range []struct {
		name string
		kind sink.Kind
		rows string
		want []string
	}{
		{"events, compressed", sink.KindEvents, events.String(), []string{"a-1", "b-2", `q"uote`}},
		{"heatmap rows: the part is not the event's", sink.KindHeatmap,
			`{"event_id":"ev-9-0","type":"heatmap"}` + "\n" + `{"event_id":"ev-9-1","type":"heatmap"}` + "\n", []string{"ev-9", "ev-9"}},
		{"consent records", sink.KindConsent, `{"schema":"1","record_id":"r1","event_id":"c-7","site":"example.com"}` + "\n", []string{"c-7"}},
		{"a row without an id", sink.KindEvents, `{"type":"pageview"}` + "\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := sink.Record{Kind: tt.kind, Site: []byte("example.com"), ReceivedAt: start, Rows: []byte(tt.rows)}
			version, rows := compress(nil, rec.Rows)
			if tt.name == "events, compressed" && version != versionS2 {
				t.Fatal("rows not compressed")
			}
			data := append(appendHeader(nil, version, &rec), rows...)
			var got []string
			_, err := IDs(spool.Record{Pos: 5, Data: data}, start, nil, func(site, id []byte) {
				if string(site) != "example.com" {
					t.Errorf("site %q", site)
				}
				got = append(got, string(id))
			})
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ids %q, %v; want %q", got, err, tt.want)
			}
			if _, err := IDs(spool.Record{Pos: 5, Data: data}, start.Add(time.Millisecond), nil, func(_, id []byte) {
				t.Errorf("id %q of a record older than since", id)
			}); err != nil {
				t.Error(err)
			}
		})
	}
	if _, err := IDs(spool.Record{Pos: 1, Data: []byte{9}}, start, nil, func(_, _ []byte) {}); err == nil {
		t.Error("a record that is not one of ours gave no error")
	}
}
