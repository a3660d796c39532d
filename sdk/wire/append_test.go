package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendStringIsValidJSON(t *testing.T) {
	cases := []string{
		"", "plain", `q"uote`, `back\slash`, "new\nline\ttab\r", "\x00\x01\x1f",
		"<script>&</script>", "héllo wörld", "emoji 🎉", "line\u2028sep\u2029",
		"bad \xff utf8 \xc3", "\xe2\x82",
	}
	for _, s := range cases {
		out := AppendString(nil, []byte(s))
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Errorf("AppendString(%q) = %s: not JSON: %v", s, out, err)
			continue
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if strings.Count(s, "\xff") == 0 && utf8.ValidString(s) && got != want {
			t.Errorf("AppendString(%q) decodes to %q", s, got)
		}
		if strings.ContainsAny(string(out), "\n\r\u2028\u2029<>") {
			t.Errorf("AppendString(%q) = %s: raw line break or angle bracket", s, out)
		}
	}
}

func TestAppendStringReplacesInvalidUTF8(t *testing.T) {
	var got string
	if err := json.Unmarshal(AppendString(nil, []byte("a\xffb")), &got); err != nil || got != "a\uFFFDb" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	f := func(s string, n int, want string) {
		t.Helper()
		if got := string(Truncate([]byte(s), n)); got != want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", s, n, got, want)
		}
	}
	f("hello", 10, "hello")
	f("hello", 5, "hello")
	f("hello", 3, "hel")
	f("héllo", 2, "h") // é is 2 bytes: do not split it
	f("héllo", 3, "hé")
	f("🎉🎉", 5, "🎉")
	f("🎉", 3, "")
}

func TestBatchRoundTrip(t *testing.T) {
	in := Batch{Site: []byte("example.com"), SentAt: 1732380000123,
		Tier: []byte("T3"), Flags: []byte("im"), Signals: []byte("g1"), Policy: []byte("9f3a"), UID: []byte("u1"), Events: []Event{
			{ID: []byte("a1"), Kind: KindPageview, TS: 1732380000001, Path: []byte("/pricing"),
				Referrer: []byte("https://search.example/"), Title: []byte(`The "best" plan`),
				Viewport: []byte("lg"), Lang: []byte("en-GB"), TZ: []byte("Europe/London")},
			{ID: []byte("a2"), Kind: KindCustom, TS: 1732380004321, Path: []byte("/pricing"),
				Name: []byte("signup"), Props: []Prop{{[]byte("plan"), []byte("pro")}, {[]byte("seats"), []byte("3")}}},
			{ID: []byte("a3"), Kind: KindConsent, TS: 1732380005000, Path: []byte("/pricing"),
				Method: []byte("tcf"), States: []byte("GGDUU"), Evidence: []byte("CPyz...")},
			{ID: []byte("a4"), Kind: KindPageview, TS: 1732380006000, Path: []byte("/missing?q=1"), Status: 404,
				UTMSource: []byte("news"), UTMMedium: []byte("email"), UTMCampaign: []byte("nov"), UTMTerm: []byte("t"),
				UTMContent: []byte("c"), Click: []byte("gclid"), ClickID: []byte("Cj0K"),
				ContentID: []byte("post-7"), ContentGroup: []byte("blog"), ContentOrigin: []byte("ai"),
				Exp: []Prop{{[]byte("hero"), []byte("B")}}},
			{ID: []byte("a5"), Kind: KindOutbound, TS: 1732380007000, Path: []byte("/"), URL: []byte("https://other.example/x")},
			{ID: []byte("a6"), Kind: KindForm, TS: 1732380008000, Path: []byte("/"), Form: []byte("signup")},
			{ID: []byte("a7"), Kind: KindLeave, TS: 1732380009000, Path: []byte("/"), Duration: 9000, Engaged: 4000, Scroll: 75},
			{ID: []byte("a8"), Kind: KindVitals, TS: 1732380009000, Path: []byte("/"), LCP: 1200, INP: 80, CLS: 50, FCP: 700, TTFB: 120},
			{ID: []byte("a9"), Kind: KindExperiment, TS: 1732380009000, Path: []byte("/"), Exp: []Prop{{[]byte("hero"), []byte("B")}}},
			{ID: []byte("b1"), Kind: KindDownload, TS: 1732380009000, Path: []byte("/"), URL: []byte("https://a.example/f.pdf")},
		}, Automated: true}
	raw := AppendBatch(nil, &in)
	var p Parser
	out, err := p.Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%s): %v", raw, err)
	}
	if string(AppendBatchHead(nil, out)) != string(AppendBatchHead(nil, &in)) || out.Version != Version || len(out.Events) != len(in.Events) || !out.Automated {
		t.Fatalf("batch header: %+v", out)
	}
	for i := range in.Events {
		if got, want := string(AppendEvent(nil, &out.Events[i])), string(AppendEvent(nil, &in.Events[i])); got != want {
			t.Errorf("event %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func TestBatchesBeginWithSentAtPrefix(t *testing.T) {
	b := AppendBatchHead(nil, &Batch{Site: []byte("s"), SentAt: 42})
	if !strings.HasPrefix(string(b), SentAtPrefix+"42,") || Version != 1 {
		t.Errorf("batch head %s does not begin with %s", b, SentAtPrefix)
	}
}
