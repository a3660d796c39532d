package wire

import (
	"testing"
)

// FuzzParse checks that no input makes the parser panic, and that whatever
// it accepts survives a round trip through AppendBatch unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"v":1,"site":"example.com","sent_at":5,"events":[{"id":"a","type":"pageview","ts":1,"path":"/"}]}`))
	f.Add([]byte(`{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":9,"name":"n","props":{"a":"b\u00e9"}}]}`))
	f.Add([]byte(`{"v":1,"site":"s","events":[{"id":"\ud800","type":"custom","ts":9,"name":"\u0000"}]}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[`))
	f.Fuzz(func(t *testing.T, src []byte) {
		var p Parser
		b, err := p.Parse(src)
		if err != nil {
			return
		}
		if len(b.Events) == 0 || len(b.Events) > MaxEvents {
			t.Fatalf("accepted %d events", len(b.Events))
		}
		once := AppendBatch(nil, b)
		var q Parser
		b2, err := q.Parse(once)
		if err != nil {
			t.Fatalf("re-parsing our own output %s: %v", once, err)
		}
		if twice := AppendBatch(nil, b2); string(twice) != string(once) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
	})
}
