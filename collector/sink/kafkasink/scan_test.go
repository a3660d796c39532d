package kafkasink

import (
	"testing"
)

func TestScanRow(t *testing.T) {
	for _, c := range []struct {
		row                    string
		event, visitor, schema string
	}{
		{`{"event_id":"e1","site":"a.example","visitor_id":"00ff","schema_version":1}`, "e1", "00ff", "1"},
		{` { "schema_version" : 12 , "event_id" : "e\"2" } `, `e\"2`, "", "12"},
		{`{"props":{"event_id":"no","a":[1,{"visitor_id":"no"}]},"title":"x \"visitor_id\":\"no\" }","visitor_id":"v"}`, "", "v", ""},
		{`{"event_id":"e3","visitor_id":null,"schema_version":"1"}`, "e3", "", ""},
		{`{"event_id":"e4","visitor_id":"v4"`, "e4", "v4", ""},       // cut short
		{`{"event_id":"e5",broken,"visitor_id":"v5"}`, "e5", "", ""}, // malformed after e5
		{`{"schema":"crumbless.consent-record/1","record_id":"r","event_id":"e6"}`, "e6", "", ""},
		{`[1,2]`, "", "", ""},
		{``, "", "", ""},
		{`{"event_id":"unterminated`, "", "", ""},
	} {
		f := scanRow([]byte(c.row))
		if string(f.eventID) != c.event || string(f.visitorID) != c.visitor || string(f.schemaVersion) != c.schema {
			t.Errorf("scanRow(%s) = event %q visitor %q schema %q, want %q %q %q", c.row,
				f.eventID, f.visitorID, f.schemaVersion, c.event, c.visitor, c.schema)
		}
	}
}

func TestScanRowAllocs(t *testing.T) {
	row := []byte(`{"event_id":"evt-1","site":"a.example","props":{"k":["v",1]},"visitor_id":"0123456789abcdef","schema_version":1}`)
	if n := testing.AllocsPerRun(100, func() { scanRow(row) }); n != 0 {
		t.Errorf("scanRow allocates %.0f times a row, want 0", n)
	}
}

func TestScanRowConsentSchema(t *testing.T) {
	f := scanRow([]byte(`{"schema":"crumbless.consent-record/1","record_id":"r1","event_id":"e1","site":"a.example"}`))
	if string(f.schema) != "crumbless.consent-record/1" || f.schemaVersion != nil {
		t.Errorf("schema %q, schema_version %q", f.schema, f.schemaVersion)
	}
}
