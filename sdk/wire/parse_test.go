package wire

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	ev := `{"id":"e1","type":"pageview","ts":1,"path":"/"}`
	many := strings.Repeat(ev+",", MaxEvents) + ev
	props := `{"id":"e1","type":"custom","ts":1,"name":"n","props":{` +
		strings.Repeat(`"k":"v",`, MaxProps) + `"k":"v"}}`
	cases := []struct {
		name, body, reason string
	}{
		{"empty", ``, ReasonBadJSON},
		{"not json", `hello`, ReasonBadJSON},
		{"array", `[1,2]`, ReasonBadJSON},
		{"trailing garbage", `{"v":1} x`, ReasonBadJSON},
		{"no version", `{"site":"s","events":[` + ev + `]}`, ReasonBadVersion},
		{"future version", `{"v":2,"site":"s","events":[` + ev + `]}`, ReasonBadVersion},
		{"no site", `{"v":1,"events":[` + ev + `]}`, ReasonBadSite},
		{"site too long", `{"v":1,"site":"` + strings.Repeat("a", MaxSiteLen+1) + `","events":[` + ev + `]}`, ReasonBadSite},
		{"no events", `{"v":1,"site":"s","events":[]}`, ReasonNoEvents},
		{"events not array", `{"v":1,"site":"s","events":{}}`, ReasonNoEvents},
		{"too many events", `{"v":1,"site":"s","events":[` + many + `]}`, ReasonTooManyEvents},
		{"event not object", `{"v":1,"site":"s","events":[1]}`, ReasonBadEvent},
		{"unknown type", `{"v":1,"site":"s","events":[{"id":"e","type":"boom","ts":1}]}`, ReasonBadEventType},
		{"no id", `{"v":1,"site":"s","events":[{"type":"pageview","ts":1}]}`, ReasonBadEventID},
		{"id too long", `{"v":1,"site":"s","events":[{"id":"` + strings.Repeat("x", MaxIDLen+1) + `","type":"pageview","ts":1}]}`, ReasonBadEventID},
		{"no ts", `{"v":1,"site":"s","events":[{"id":"e","type":"pageview"}]}`, ReasonBadEvent},
		{"custom without name", `{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":1}]}`, ReasonBadName},
		{"props not object", `{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":1,"name":"n","props":[]}]}`, ReasonBadEvent},
		{"prop not string", `{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":1,"name":"n","props":{"a":1}}]}`, ReasonBadEvent},
		{"too many props", `{"v":1,"site":"s","events":[` + props + `]}`, ReasonTooManyProps},
		{"signals too long", `{"v":1,"site":"s","signals":"` + strings.Repeat("g", MaxSignalsLen+1) + `","events":[` + ev + `]}`, ReasonBadConsent},
		{"consent without states", `{"v":1,"site":"s","events":[{"id":"e","type":"consent","ts":1}]}`, ReasonBadConsent},
	}
	var p Parser
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := p.Parse([]byte(c.body))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("Parse: err = %v, want *Error", err)
			}
			if we.Reason != c.reason {
				t.Errorf("reason = %q, want %q (%v)", we.Reason, c.reason, err)
			}
		})
	}
}

func TestParseTruncatesLongFields(t *testing.T) {
	long := strings.Repeat("é", MaxPathLen) // 2 bytes each
	body := `{"v":1,"site":"s","sent_at":5,"events":[{"id":"e","type":"custom","ts":1,"path":"` + long +
		`","name":"` + strings.Repeat("n", 100) + `","props":{"` + strings.Repeat("k", 100) + `":"` + strings.Repeat("v", 1000) + `"}}]}`
	var p Parser
	b, err := p.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	e := b.Events[0]
	if len(e.Path) != MaxPathLen || len(e.Name) != MaxNameLen ||
		len(e.Props[0].Key) != MaxPropKeyLen || len(e.Props[0].Value) != MaxPropValueLen {
		t.Errorf("lengths: path %d name %d key %d value %d", len(e.Path), len(e.Name), len(e.Props[0].Key), len(e.Props[0].Value))
	}
}

func TestParseIgnoresUnknownFields(t *testing.T) {
	var p Parser
	b, err := p.Parse([]byte(`{"v":1,"site":"s","future":true,"events":[{"id":"e","type":"pageview","ts":1,"later":{"x":1}}]}`))
	if err != nil || len(b.Events) != 1 {
		t.Fatalf("Parse: %v", err)
	}
}

func TestParserReuseDoesNotLeakProps(t *testing.T) {
	var p Parser
	withProps := `{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":1,"name":"n","props":{"a":"b"}}]}`
	without := `{"v":1,"site":"s","events":[{"id":"e","type":"custom","ts":1,"name":"n"}]}`
	if _, err := p.Parse([]byte(withProps)); err != nil {
		t.Fatal(err)
	}
	b, err := p.Parse([]byte(without))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Events[0].Props) != 0 {
		t.Errorf("props from the previous batch: %q", b.Events[0].Props)
	}
}

func TestReasonsListsEveryReason(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Reasons {
		if seen[r] || r == "" {
			t.Errorf("reason %q empty or listed twice", r)
		}
		seen[r] = true
	}
	// Every reason a parse can produce must be listed.
	for _, c := range []string{"", `{"v":2}`, `{"v":1}`, `{"v":1,"site":"s"}`} {
		var p Parser
		_, err := p.Parse([]byte(c))
		if e, ok := err.(*Error); !ok || !seen[e.Reason] {
			t.Errorf("Parse(%q) = %v: reason not in Reasons", c, err)
		}
	}
}
