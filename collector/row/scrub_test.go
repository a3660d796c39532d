package row

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// TestRowsAreScrubbed checks that every free-text field reaches the row
// with e-mail addresses and tokens replaced, at every tier.
func TestRowsAreScrubbed(t *testing.T) {
	const mail = "jane.doe@example.com"
	const uuid = "123e4567-e89b-12d3-a456-426614174000"
	e := &wire.Event{ID: []byte("e"), Kind: wire.KindCustom, TS: received,
		Path:      []byte("/users/" + mail + "/edit?utm_source=" + mail),
		Referrer:  []byte("https://mail.example/inbox/" + uuid),
		Title:     []byte("Hello " + mail),
		UTMSource: []byte(mail), UTMMedium: []byte("x" + mail), UTMCampaign: []byte(mail),
		UTMTerm: []byte(mail), UTMContent: []byte(mail),
		ContentID: []byte(mail), ContentGroup: []byte(mail), ContentOrigin: []byte(mail),
		URL:   []byte("https://cdn.example/" + uuid + ".pdf"),
		Name:  []byte("signup"),
		Props: []wire.Prop{{Key: []byte("who"), Value: []byte("it was " + mail)}},
	}
	for _, tier := range []consent.Tier{consent.T1, consent.T2, consent.T3} {
		for _, redact := range []bool{false, true} {
			c := &Context{Site: []byte("s"), ReceivedAt: received, Tier: tier,
				Marks: []Mark{{Channel: "referral", Source: []byte(mail)}}}
			if redact {
				c.PathRedactions = [][]byte{[]byte("/nothing/*")}
			}
			out := AppendRows(nil, &wire.Batch{Events: []wire.Event{*e}}, c)
			if strings.Contains(string(out), "jane.doe") || strings.Contains(string(out), uuid) {
				t.Errorf("%v redact=%v: personal data left in\n%s", tier, redact, out)
			}
			var row map[string]any
			if err := json.Unmarshal(out, &row); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"title", "utm_source", "utm_campaign", "content_id", "source"} {
				if row[k] != "[email]" && row[k] != "Hello [email]" {
					t.Errorf("%v %s = %v", tier, k, row[k])
				}
			}
			if p, _ := row["props"].(map[string]any); p["who"] != "it was [email]" {
				t.Errorf("%v props = %v", tier, row["props"])
			}
			if !strings.HasPrefix(row["path"].(string), "/users/[email]/edit") {
				t.Errorf("%v path = %v", tier, row["path"])
			}
		}
	}
}
