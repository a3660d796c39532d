package sinktest

import (
	"fmt"
	"strings"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
)

var (
	sites = []string{"example.com", "shop.example.org", "b-2.example"}
	start = time.Date(2026, 11, 23, 22, 40, 0, 0, time.UTC)
)

// gen makes records of rows that are each unique, and remembers them.
type gen struct {
	kinds []sink.Kind
	n     int // rows made
	recs  int // records made
	pad   int // extra bytes per row
	want  map[Row]bool
}

func newGen(kinds []sink.Kind) *gen {
	return &gen{kinds: kinds, want: map[Row]bool{}}
}

// batch returns a batch of records records of rows rows each, across
// sites, hours (crossing midnight) and the harness's kinds.
func (g *gen) batch(records, rows int) *sink.Batch {
	b := &sink.Batch{}
	for range records {
		b.Records = append(b.Records, g.record(rows))
	}
	return b
}

func (g *gen) record(rows int) sink.Record {
	i := g.recs
	g.recs++
	r := sink.Record{
		Kind:       g.kinds[i%len(g.kinds)],
		Site:       []byte(sites[i%len(sites)]),
		ReceivedAt: start.Add(time.Duration(i) * 7 * time.Minute),
		Events:     rows,
	}
	for range rows {
		line := g.line(string(r.Site), r.ReceivedAt)
		g.want[Row{Kind: r.Kind, Line: line}] = true
		r.Rows = append(append(r.Rows, line...), '\n')
	}
	return r
}

// line is a row like the collector's: an event id, the site, a visitor
// on most rows, text that needs escaping, and padding.
func (g *gen) line(site string, at time.Time) string {
	n := g.n
	g.n++
	var b strings.Builder
	fmt.Fprintf(&b, `{"event_id":"evt-%08d","site":%q,"type":"pageview","received_at":%q`, n, site, at.Format(time.RFC3339Nano))
	if n%4 != 0 {
		fmt.Fprintf(&b, `,"visitor_id":"%016x"`, uint64(n%13)*0x9e3779b97f4a7c15)
	}
	fmt.Fprintf(&b, `,"title":"Caf\u00e9 \"ümlaut\" \\ tab\t %d 日本語 😀"`, n)
	if g.pad > 0 {
		fmt.Fprintf(&b, `,"pad":%q`, strings.Repeat("x", g.pad))
	}
	b.WriteString(`,"schema_version":1}`)
	return b.String()
}

// forget drops b's rows from what must be read back: the sink refused b.
func (g *gen) forget(b *sink.Batch) {
	for _, rec := range b.Records {
		for line := range strings.Lines(string(rec.Rows)) {
			delete(g.want, Row{Kind: rec.Kind, Line: strings.TrimSuffix(line, "\n")})
		}
	}
}
