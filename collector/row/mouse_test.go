package row

import (
	"slices"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// fullMouseContext is fullContext with a frustration signal's mark and the
// batch's bot score: the fields only the mouse add-on's rows have.
func fullMouseContext() *Context {
	c := fullContext()
	c.Marks[0].Mouse = Mouse{Type: TypeFrustration, Name: "quick_back", Selector: []byte("#buy"), Count: 3, Page: []byte("/old")}
	c.Bot = Bot{Set: true, Score: 12, Reasons: []byte("speed")}
	return c
}

// listsInOrder reports whether every list is a subsequence of all, and
// together they name every item of all.
func listsInOrder(all []string, lists ...[]string) bool {
	seen := map[string]bool{}
	for _, l := range lists {
		i := 0
		for _, k := range l {
			j := slices.Index(all[i:], k)
			if j < 0 {
				return false
			}
			i += j + 1
			seen[k] = true
		}
	}
	return len(seen) == len(all)
}

func TestMouseRows(t *testing.T) {
	e := &wire.Event{ID: []byte("ev1"), Kind: wire.KindCustom, TS: 2000, Path: []byte("/pricing"), Name: []byte("$rage_click"),
		Props: []wire.Prop{{Key: []byte("selector"), Value: []byte("#buy")}}}
	base := func(m Mouse, bot Bot) *Context {
		return &Context{Site: []byte("example.com"), SentAt: 3000, ReceivedAt: received, Tier: consent.T2,
			VisitorID: []byte("0123456789abcdef"), Marks: []Mark{{Mouse: m}}, Bot: bot}
	}
	head := `{"event_id":"ev1","type":"`
	common := `","site":"example.com","ts":"2026-11-23T18:20:00.123Z","received_at":"2026-11-23T18:20:01.123Z","path":"/pricing","referrer":""`
	tail := `,"tier":"T2","visitor_id":"0123456789abcdef"`
	flagged := Bot{Set: true, Score: 88, Reasons: []byte("straight,instant")}
	for _, tt := range []struct {
		name string
		c    *Context
		want string
	}{
		{"rage click", base(Mouse{Type: TypeFrustration, Name: "rage_click", Selector: []byte("#buy"), Count: 4}, Bot{}),
			head + "frustration" + common + `,"name":"rage_click","selector":"#buy","count":4` + tail + `,"schema_version":1}`},
		{"quick back, its page redacted like a path", base(Mouse{Type: TypeFrustration, Name: "quick_back", Page: []byte("/u/x@example.com")}, Bot{}),
			head + "frustration" + common + `,"name":"quick_back","page":"/u/[email]"` + tail + `,"schema_version":1}`},
		{"bot row: its own score", base(Mouse{Type: TypeBot, Bot: Bot{Set: true, Score: 0}}, flagged),
			head + "bot" + common + tail + `,"bot_score":0,"schema_version":1}`},
		{"bots: flag on a custom event", base(Mouse{}, flagged),
			head + "custom" + common + `,"name":"$rage_click","props":{"selector":"#buy"}` + tail + `,"bot_score":88,"bot_reasons":"straight,instant","schema_version":1}`},
	} {
		if got := string(AppendRow(nil, e, tt.c)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestHeatmapRowsSkipped(t *testing.T) {
	b := &wire.Batch{Events: []wire.Event{{ID: []byte("a"), Kind: wire.KindCustom, Name: []byte("$heatmap")}, {ID: []byte("b"), Kind: wire.KindPageview}}}
	c := &Context{Tier: consent.T1, Marks: []Mark{{Mouse: Mouse{Type: TypeHeatmap}}}}
	if got := string(AppendRows(nil, b, c)); strings.Count(got, "\n") != 1 || !strings.Contains(got, `"event_id":"b"`) {
		t.Errorf("rows: %s", got)
	}
}

func TestAppendHeatmapRow(t *testing.T) {
	e := &wire.Event{ID: []byte("ev\"1"), Kind: wire.KindCustom, TS: 2000, Path: []byte("/pricing?utm_source=x&id=7"), Name: []byte("$heatmap")}
	c := &Context{Site: []byte("example.com"), SentAt: 3000, ReceivedAt: received, Tier: consent.T2, VisitorID: []byte("0123456789abcdef"),
		Bot: Bot{Set: true, Score: 5}}
	h := &Heatmap{Part: 2, Viewport: []byte("lg"), Layer: []byte("target"), Selector: []byte(`main>a[data-testid="x"]`), Cells: []byte("3.7:2")}
	want := `{"event_id":"ev\"1-2","type":"heatmap","site":"example.com","ts":"2026-11-23T18:20:00.123Z","received_at":"2026-11-23T18:20:01.123Z",` +
		`"path":"/pricing?utm_source=x","referrer":"","viewport":"lg","layer":"target","selector":"main\u003ea[data-testid=\"x\"]","cells":"3.7:2",` +
		`"tier":"T2","visitor_id":"0123456789abcdef","bot_score":5,"schema_version":1}`
	if got := string(AppendHeatmapRow(nil, e, c, h)); got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestSchemaDocListsMouseFields(t *testing.T) {
	doc := readFile(t, "SCHEMA.md")
	for _, k := range objectKeys(t, AppendRow(nil, fullEvent(), fullMouseContext())) {
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("SCHEMA.md has no row for %q", k)
		}
	}
}
