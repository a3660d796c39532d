package kafkasink

import (
	"bytes"
	"testing"

	"github.com/valyala/fastjson"
)

// FuzzScanRow checks scanRow against a full JSON parser: on every object
// the parser accepts, the members found are the parser's (compared where
// the strings have no escapes, which scanRow leaves as written); on any
// input it does not panic.
func FuzzScanRow(f *testing.F) {
	f.Add([]byte(`{"event_id":"e1","visitor_id":"v","schema_version":1}`))
	f.Add([]byte(`{"a":{"event_id":"x"},"b":[{"c":"]"}],"event_id":"e\\"}`))
	f.Add([]byte(`{"visitor_id":null,"schema_version":-2.5e3}`))
	f.Fuzz(func(t *testing.T, row []byte) {
		got := scanRow(row)
		v, err := fastjson.ParseBytes(row)
		if err != nil || v.Type() != fastjson.TypeObject {
			return
		}
		o := v.GetObject()
		if o.Len() != countTop(o) {
			return // duplicate keys: the parser keeps the first, scanRow the last
		}
		check := func(name string, found []byte) {
			m := v.Get(name)
			if m == nil || m.Type() != fastjson.TypeString {
				if found != nil {
					t.Errorf("%s: scanRow found %q, the parser nothing in %s", name, found, row)
				}
				return
			}
			want := m.GetStringBytes()
			if !bytes.ContainsRune(found, '\\') && !bytes.Equal(found, want) {
				t.Errorf("%s: scanRow found %q, the parser %q in %s", name, found, want, row)
			}
		}
		check("event_id", got.eventID)
		check("visitor_id", got.visitorID)
		check("schema", got.schema)
		m := v.Get("schema_version")
		isNumber := m != nil && m.Type() == fastjson.TypeNumber
		if isNumber && !numberStart(m.MarshalTo(nil)[0]) {
			return // the parser takes "." and the like for numbers; scanRow does not
		}
		if isNumber != (got.schemaVersion != nil) {
			t.Errorf("schema_version: scanRow found %q, the parser %v in %s", got.schemaVersion, m, row)
		}
	})
}

// countTop counts distinct top-level keys.
func countTop(o *fastjson.Object) int {
	seen := map[string]bool{}
	o.Visit(func(k []byte, _ *fastjson.Value) { seen[string(k)] = true })
	return len(seen)
}

func numberStart(c byte) bool { return c == '-' || c >= '0' && c <= '9' }
