package row

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

var received = time.Date(2026, 11, 23, 18, 20, 1, 123e6, time.UTC).UnixMilli()

func fullEvent() *wire.Event {
	return &wire.Event{
		ID: []byte("ev1"), Kind: wire.KindCustom, TS: 1000,
		Path: []byte("/pricing"), Referrer: []byte("https://search.example/"),
		Title: []byte("Pricing"), Viewport: []byte("lg"), Lang: []byte("en-GB"), TZ: []byte("Europe/London"),
		Name:   []byte("signup"),
		Props:  []wire.Prop{{Key: []byte("plan"), Value: []byte("pro")}},
		Status: 404, UTMSource: []byte("news"), UTMMedium: []byte("email"), UTMCampaign: []byte("nov"),
		UTMTerm: []byte("shoes"), UTMContent: []byte("top"), Click: []byte("gclid"), ClickID: []byte("Cj0K"),
		ContentID: []byte("post-7"), ContentGroup: []byte("blog"), ContentOrigin: []byte("ai"),
		Exp: []wire.Prop{{Key: []byte("hero"), Value: []byte("b")}},
		URL: []byte("https://cdn.example/a.pdf?sig=1"), Form: []byte("contact"),
		Duration: 5000, Engaged: 3000, Scroll: 75, LCP: 1200, INP: 80, CLS: 50, FCP: 900, TTFB: 120,
	}
}

func fullContext() *Context {
	return &Context{
		Site: []byte("example.com"), SentAt: 3000, ReceivedAt: received,
		Tier: consent.T3, VisitorID: []byte("0123456789abcdef"), UID: []byte("u-42"), Reasons: []byte("GPC,DNT"),
		Browser: "Firefox", OS: "Linux", Device: "desktop", Marketing: true, Automated: true, Datacenter: true, Server: true,
		Marks: []Mark{{Channel: "email", Source: []byte("news"), Goal: []byte("signup"), Stage: []byte("conversion")}},
	}
}

func TestAppendRow(t *testing.T) {
	minimal := &wire.Event{ID: []byte("ev2"), Kind: wire.KindPageview, TS: 3000}
	t1 := fullContext()
	t1.Tier, t1.Reasons, t1.Automated, t1.Datacenter, t1.Server, t1.Marks = consent.T1, nil, false, false, false, nil
	tests := []struct {
		name string
		e    *wire.Event
		c    *Context
		want string
	}{
		{"every field", fullEvent(), fullContext(),
			`{"event_id":"ev1","type":"custom","site":"example.com","ts":"2026-11-23T18:19:59.123Z",` +
				`"received_at":"2026-11-23T18:20:01.123Z","path":"/pricing","referrer":"https://search.example/",` +
				`"title":"Pricing","viewport":"lg","lang":"en-GB","tz":"Europe/London","name":"signup",` +
				`"props":{"plan":"pro"},"status":404,"utm_source":"news","utm_medium":"email","utm_campaign":"nov",` +
				`"utm_term":"shoes","utm_content":"top","click":"gclid","click_id":"Cj0K","channel":"email","source":"news",` +
				`"content_id":"post-7","content_group":"blog","content_origin":"ai","exp":{"hero":"b"},` +
				`"url":"https://cdn.example/a.pdf","form":"contact","duration":5000,"engaged":3000,"scroll":75,` +
				`"lcp":1200,"inp":80,"cls":0.05,"fcp":900,"ttfb":120,"goal":"signup","stage":"conversion",` +
				`"tier":"T3","consent_reasons":["GPC","DNT"],"visitor_id":"0123456789abcdef","uid":"u-42","browser":"Firefox",` +
				`"os":"Linux","device":"desktop","automated":true,"datacenter":true,"server":true,"schema_version":1}`},
		{"empty optional fields", minimal, &Context{Site: []byte("a"), SentAt: 3000, ReceivedAt: received, Tier: consent.T2, Device: "unknown"},
			`{"event_id":"ev2","type":"pageview","site":"a","ts":"2026-11-23T18:20:01.123Z",` +
				`"received_at":"2026-11-23T18:20:01.123Z","path":"","referrer":"","tier":"T2","device":"unknown","schema_version":1}`},
		{"tier without visitor key", minimal, t1,
			`{"event_id":"ev2","type":"pageview","site":"example.com","ts":"2026-11-23T18:20:00.000Z",` +
				`"received_at":"2026-11-23T18:20:01.123Z","path":"","referrer":"","tier":"T1","browser":"Firefox",` +
				`"os":"Linux","device":"desktop","schema_version":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendRow([]byte("prefix"), tt.e, tt.c))
			if got != "prefix"+tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, "prefix"+tt.want)
			}
			if !json.Valid([]byte(tt.want)) {
				t.Error("row is not valid JSON")
			}
		})
	}
}

func TestAppendRowEscapes(t *testing.T) {
	e := fullEvent()
	e.Path = []byte("/a\"b\\c\nd\u2028</script>\xff")
	e.Props = []wire.Prop{{Key: []byte("k\n"), Value: []byte("v\r")}}
	out := AppendRows(nil, &wire.Batch{Events: []wire.Event{*e}}, fullContext())
	if bytes.Count(out, []byte("\n")) != 1 || out[len(out)-1] != '\n' {
		t.Fatalf("row is not exactly one line: %q", out)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	if m["path"] != "/a\"b\\c\nd\u2028</script>\ufffd" {
		t.Errorf("path read back as %q", m["path"])
	}
}

func TestEventTime(t *testing.T) {
	const day = wire.MaxClockSkewMillis
	tests := []struct {
		name                   string
		ts, sentAt, receivedAt int64
		want                   int64
	}{
		{"sender clock right", 900, 1000, 1000, 900},
		{"sender clock 1h slow", 900, 1000, 1000 + 3600e3, 900 + 3600e3},
		{"sender clock 1h fast", 3600e3 + 900, 3600e3 + 1000, 1000, 900},
		{"event after sent_at: clamped to received", 1200, 1000, 5000, 5000},
		{"waited over a day: clamped to skew limit", 1, 2 * day, 3 * day, 2 * day},
		{"no sent_at: event time as is", 4000, 0, 5000, 4000},
		{"no sent_at, future event: clamped", 9000, 0, 5000, 5000},
		{"no sent_at, ancient event: clamped", 1, 0, 2 * day, day},
	}
	for _, tt := range tests {
		if got := EventTime(tt.ts, tt.sentAt, tt.receivedAt); got != tt.want {
			t.Errorf("%s: EventTime(%d, %d, %d) = %d, want %d", tt.name, tt.ts, tt.sentAt, tt.receivedAt, got, tt.want)
		}
	}
}

func TestAppendTimeMatchesTimeFormat(t *testing.T) {
	for _, ms := range []int64{0, 1, 999, received, -1, -86400001, 253402300799999, 253402300800000, -62167219200001} {
		want := time.UnixMilli(ms).UTC().Format(timeLayout)
		if got := string(AppendTime(nil, ms)); got != want {
			t.Errorf("AppendTime(%d) = %s, want %s", ms, got, want)
		}
	}
	for ms := int64(1_600_000_000_000); ms < 1_900_000_000_000; ms += 7_777_777_777 {
		if got, want := string(AppendTime(nil, ms)), time.UnixMilli(ms).UTC().Format(timeLayout); got != want {
			t.Fatalf("AppendTime(%d) = %s, want %s", ms, got, want)
		}
	}
}

func TestAppendTime(t *testing.T) {
	for ms, want := range map[int64]string{
		received: "2026-11-23T18:20:01.123Z",
		0:        "1970-01-01T00:00:00.000Z",
		1:        "1970-01-01T00:00:00.001Z",
	} {
		if got := string(AppendTime(nil, ms)); got != want {
			t.Errorf("AppendTime(%d) = %s, want %s", ms, got, want)
		}
	}
}

// TestSchemaMatchesRows checks that the published JSON Schema lists exactly
// the fields a row can have, in the order rows write them, and requires the
// ones every row has.
func TestSchemaMatchesRows(t *testing.T) {
	var schema struct {
		Required   []string
		Properties json.RawMessage
	}
	if err := json.Unmarshal(JSONSchema, &schema); err != nil {
		t.Fatal(err)
	}
	props := objectKeys(t, schema.Properties)
	full := objectKeys(t, AppendRow(nil, fullEvent(), fullContext()))
	mouse := objectKeys(t, AppendRow(nil, fullEvent(), fullMouseContext()))
	if !listsInOrder(props, full, mouse) {
		t.Errorf("schema properties\n%v\nrow fields\n%v\nmouse row fields\n%v", props, full, mouse)
	}
	minimal := objectKeys(t, AppendRow(nil, &wire.Event{ID: []byte("x"), Kind: wire.KindPageview, TS: 1}, &Context{Tier: consent.T1}))
	if !slices.Equal(schema.Required, minimal) {
		t.Errorf("schema requires\n%v\nminimal row has\n%v", schema.Required, minimal)
	}
}

// objectKeys returns the top-level keys of a JSON object, in order.
func objectKeys(t *testing.T, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil && err != io.EOF {
			t.Fatal(err)
		}
	}
	return keys
}

func TestSchemaDocListsEveryField(t *testing.T) {
	doc := readFile(t, "SCHEMA.md")
	for _, k := range objectKeys(t, AppendRow(nil, fullEvent(), fullContext())) {
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("SCHEMA.md has no row for %q", k)
		}
	}
}

// TestClockMatchesAppendTime: the per-batch cache formats every time as
// AppendTime does, across seconds, before the epoch and past year 9999.
func TestClockMatchesAppendTime(t *testing.T) {
	var k clock
	for _, ms := range []int64{1795458001123, 1795458001999, 1795458002000, 1795458001000, 0, -1, -999, -1000, -1001,
		1795458001123, 253402300800000, 253402300799999, -62135596800001} {
		if got, want := string(k.appendTime(nil, ms)), string(AppendTime(nil, ms)); got != want {
			t.Errorf("%d: %s, want %s", ms, got, want)
		}
	}
}

// TestAppendRowsReusesOnlyWhatRepeats: the rows of a batch render a
// repeated referrer, title and the batch's fields once and copy them
// after; each row must still be exactly what AppendRow writes for its
// event alone, whatever the order of repeats and changes (including a row
// with its own bot score between two without).
func TestAppendRowsReusesOnlyWhatRepeats(t *testing.T) {
	refs := [][]byte{[]byte("https://a.example/x?q=1"), []byte("https://b.example/y"), nil}
	titles := [][]byte{[]byte("Home"), []byte("mail me: ann@example.com"), nil}
	var b wire.Batch
	var marks []Mark
	for i, pick := range []int{0, 0, 1, 0, 2, 2, 1, 1, 0} {
		e := *fullEvent()
		e.ID = []byte{'e', byte('0' + i)}
		e.Referrer, e.Title = refs[pick], titles[(pick+i)%3]
		b.Events = append(b.Events, e)
		m := Mark{Channel: "referral"}
		if i == 4 {
			m.Mouse.Bot = Bot{Set: true, Score: 90, Reasons: []byte("STRAIGHT")}
		}
		marks = append(marks, m)
	}
	c := fullContext()
	c.Marks = marks
	c.Bot = Bot{Set: true, Score: 10}
	lines := strings.Split(strings.TrimSuffix(string(AppendRows([]byte("prefix\n"), &b, c)), "\n"), "\n")
	if len(lines) != len(b.Events)+1 || lines[0] != "prefix" {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for i := range b.Events {
		one := *c
		one.Marks = marks[i : i+1]
		if want := string(AppendRow(nil, &b.Events[i], &one)); lines[i+1] != want {
			t.Errorf("row %d:\n got %s\nwant %s", i, lines[i+1], want)
		}
	}
}
