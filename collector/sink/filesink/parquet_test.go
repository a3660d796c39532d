package filesink

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	eventrow "github.com/crumbless/crumbless/collector/row"
)

// TestParquetCoversSchema checks that every field of the event and raw
// heatmap row schemas has a Parquet column of the same name, optional
// unless both schemas require it, and that the JSON and Parquet names of
// each Go field agree: a new row field cannot be forgotten.
func TestParquetCoversSchema(t *testing.T) {
	type jsonSchema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	schemas := map[string][]byte{"event": eventrow.JSONSchema, "heatmap-raw": eventrow.HeatmapRawSchema}
	required := map[string]int{}
	fields := map[string]bool{}
	for name, raw := range schemas {
		var s jsonSchema
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s schema: %v", name, err)
		}
		if len(s.Properties) < 10 {
			t.Fatalf("%s schema has only %d fields", name, len(s.Properties))
		}
		for f := range s.Properties {
			fields[f] = true
		}
		for _, f := range s.Required {
			required[f]++
		}
	}
	columns := map[string]parquet.Field{}
	for _, f := range parquet.SchemaOf(parquetRow{}).Fields() {
		columns[f.Name()] = f
	}
	for f := range fields {
		col, ok := columns[f]
		switch {
		case !ok:
			t.Errorf("row field %q has no Parquet column in parquetRow", f)
		case required[f] < len(schemas) && !col.Optional():
			t.Errorf("column %q is required, but rows may leave field %q out", f, f)
		}
	}
	for name := range columns {
		if !fields[name] {
			t.Errorf("column %q is no row field", name)
		}
	}
	rt := reflect.TypeFor[parquetRow]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		pq, _, _ := strings.Cut(f.Tag.Get("parquet"), ",")
		if js := f.Tag.Get("json"); js != pq {
			t.Errorf("field %s: json name %q, Parquet name %q", f.Name, js, pq)
		}
	}
}

// TestParquetRejectsUnknownField: a row with a field parquetRow lacks
// fails the conversion instead of losing the field.
func TestParquetRejectsUnknownField(t *testing.T) {
	in := `{"event_id":"a","type":"custom","site":"x.org","ts":"2026-11-23T18:20:01.123Z","received_at":"2026-11-23T18:20:02.000Z","path":"/","referrer":"","tier":"T2","schema_version":1}
{"event_id":"b","type":"custom","site":"x.org","ts":"2026-11-23T18:20:01.123Z","received_at":"2026-11-23T18:20:02.000Z","path":"/","referrer":"","tier":"T2","new_field":1,"schema_version":1}
`
	_, err := encodeParquet(strings.NewReader(in), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "row 2") || !strings.Contains(err.Error(), "new_field") {
		t.Errorf("err = %v, want one naming row 2 and new_field", err)
	}
}

// TestParquetStatsMatchNDJSON converts real rows and reads both back for
// their manifest entries: same rows, received_at range and version.
func TestParquetStatsMatchNDJSON(t *testing.T) {
	recs := eventRecords(20)
	var plain []byte
	for _, r := range recs {
		plain = append(plain, r.Rows...)
	}
	var out bytes.Buffer
	st, err := encodeParquet(bytes.NewReader(plain), &out)
	if err != nil {
		t.Fatal(err)
	}
	back, err := parquetStats(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 60 || back.Rows != 60 || st.SchemaVersion != eventrow.SchemaVersion ||
		!st.MinReceived.Equal(recs[0].ReceivedAt.Truncate(1e6)) || !back.MaxReceived.Equal(st.MaxReceived) {
		t.Errorf("written %+v, read back %+v", st, back)
	}
	if st.Bytes != int64(out.Len()) || len(st.SHA256) != 64 {
		t.Errorf("bytes %d (file %d), sha %q", st.Bytes, out.Len(), st.SHA256)
	}
}
