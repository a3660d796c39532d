package row

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

func TestAppendThousandths(t *testing.T) {
	for n, want := range map[int64]string{
		0: "", -5: "", 1: `,"cls":0.001`, 50: `,"cls":0.05`, 100: `,"cls":0.1`, 250: `,"cls":0.25`,
		1000: `,"cls":1`, 1200: `,"cls":1.2`, 12345: `,"cls":12.345`,
	} {
		if got := string(appendThousandths(nil, `,"cls":`, n)); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
}

// TestClickIDByTierAndMarketing checks that a click id is written only
// with the marketing flag and above T1, while the parameter's name is
// written at every tier.
func TestClickIDByTierAndMarketing(t *testing.T) {
	e := &wire.Event{ID: []byte("e"), Kind: wire.KindPageview, TS: received, Click: []byte("gclid"), ClickID: []byte("Cj0K")}
	for _, tt := range []struct {
		tier      consent.Tier
		marketing bool
		want      bool
	}{
		{consent.T1, true, false}, {consent.T1, false, false},
		{consent.T2, false, false}, {consent.T2, true, true},
		{consent.T3, false, false}, {consent.T3, true, true},
	} {
		c := &Context{ReceivedAt: received, Tier: tt.tier, Marketing: tt.marketing}
		var row map[string]any
		if err := json.Unmarshal(AppendRow(nil, e, c), &row); err != nil {
			t.Fatal(err)
		}
		if _, got := row["click_id"]; got != tt.want || row["click"] != "gclid" {
			t.Errorf("%v marketing=%v: click_id written %v, click %v", tt.tier, tt.marketing, got, row["click"])
		}
	}
}

func TestURLKeepsNoQuery(t *testing.T) {
	e := &wire.Event{ID: []byte("e"), Kind: wire.KindOutbound, TS: received, URL: []byte("https://other.example/a?ref=me#x")}
	for _, tier := range []consent.Tier{consent.T1, consent.T2, consent.T3} {
		out := AppendRow(nil, e, &Context{ReceivedAt: received, Tier: tier})
		if !bytes.Contains(out, []byte(`"url":"https://other.example/a"`)) {
			t.Errorf("%v: %s", tier, out)
		}
	}
}

func TestMarksGoToTheirEvents(t *testing.T) {
	b := &wire.Batch{Events: []wire.Event{
		{ID: []byte("a"), Kind: wire.KindPageview, TS: received},
		{ID: []byte("c"), Kind: wire.KindConsent, TS: received},
		{ID: []byte("b"), Kind: wire.KindCustom, TS: received, Name: []byte("x")},
	}}
	c := &Context{ReceivedAt: received, Tier: consent.T2, Marks: []Mark{
		{Channel: "direct"}, {Goal: []byte("never written")}, {Goal: []byte("goal-b"), Stage: []byte("conversion")},
	}}
	lines := bytes.Split(bytes.TrimSuffix(AppendRows(nil, b, c), []byte("\n")), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("%d rows", len(lines))
	}
	var first, second map[string]any
	if json.Unmarshal(lines[0], &first) != nil || json.Unmarshal(lines[1], &second) != nil {
		t.Fatal("rows are not JSON")
	}
	if first["channel"] != "direct" || first["goal"] != nil || second["goal"] != "goal-b" || second["stage"] != "conversion" || second["channel"] != nil {
		t.Errorf("rows\n%s\n%s", lines[0], lines[1])
	}
}
