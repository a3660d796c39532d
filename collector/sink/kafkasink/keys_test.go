package kafkasink

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
)

// TestKeysAndOrder writes batches of rows of many visitors on two sites,
// some rows without a visitor_id, and checks that each record's key is the
// hash of its site and visitor (or event), that every row of a visitor is
// in one partition in the order written, and the headers.
func TestKeysAndOrder(t *testing.T) {
	c := newCluster(t)
	cfg := c.config()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	sites := []string{"example.com", "shop.example.org"}
	n := 0
	for range 20 {
		var b sink.Batch
		for r := range 6 {
			rec := sink.Record{Site: []byte(sites[r%2]), ReceivedAt: time.Now(), Events: 10}
			for range 10 {
				rec.Rows = append(rec.Rows, testRow(sites[r%2], n)...)
				n++
			}
			b.Records = append(b.Records, rec)
		}
		if err := s.WriteBatch(t.Context(), &b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	got := readTopics(t, cfg.Brokers, cfg.Topics.Events)
	if len(got) != n {
		t.Fatalf("%d records read back, %d written", len(got), n)
	}
	type last struct {
		partition int32
		offset    int64
		seq       int
	}
	visitors := map[string]last{}
	partitions := map[int32]bool{}
	for _, r := range got {
		var seq int
		fmt.Sscanf(r.value[strings.Index(r.value, "evt-")+4:], "%d", &seq)
		f := scanRow([]byte(r.value))
		site := r.headers[HeaderSite]
		id := f.visitorID
		if id == nil {
			id = f.eventID
		}
		if want := Key([]byte(site), id); !bytes.Equal(r.key, want) {
			t.Errorf("row %d: key %x, want %x", seq, r.key, want)
		}
		wantSchema := "1"
		if seq%5 == 4 {
			wantSchema = "2"
		}
		if r.headers[HeaderSchemaVersion] != wantSchema || r.headers[HeaderKind] != "events" || !strings.Contains(r.value, `"site":"`+site+`"`) {
			t.Errorf("row %d: headers %v", seq, r.headers)
		}
		partitions[r.partition] = true
		if f.visitorID == nil {
			continue
		}
		v := site + "/" + string(f.visitorID)
		prev, ok := visitors[v]
		switch {
		case ok && prev.partition != r.partition:
			t.Errorf("visitor %s in partitions %d and %d", v, prev.partition, r.partition)
		case ok && prev.offset < r.offset && prev.seq > seq:
			t.Errorf("visitor %s: row %d after row %d", v, seq, prev.seq)
		}
		if !ok || prev.offset < r.offset {
			visitors[v] = last{r.partition, r.offset, seq}
		}
	}
	if len(partitions) < 4 {
		t.Errorf("rows in %d of 6 partitions, want them spread", len(partitions))
	}
}

// testRow is row n of site: visitors 0 to 16, every seventh row without a
// visitor, every fifth without schema_version (the default, 1) and a few
// with schema_version 2.
func testRow(site string, n int) []byte {
	b := fmt.Appendf(nil, `{"event_id":"evt-%06d","site":%q,"props":{"visitor_id":"nested"}`, n, site)
	if n%7 != 0 {
		b = fmt.Appendf(b, `,"visitor_id":"v%02d"`, n%17)
	}
	switch n % 5 {
	case 4:
		b = append(b, `,"schema_version":2`...)
	case 3:
	default:
		b = append(b, `,"schema_version":1`...)
	}
	return append(b, "}\n"...)
}
