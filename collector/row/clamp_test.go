package row

import (
	"encoding/json"
	"testing"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// TestClampByTier checks each tier's row against consent.md §3.1.
func TestClampByTier(t *testing.T) {
	e := &wire.Event{ID: []byte("e"), Kind: wire.KindPageview, TS: received - 2500,
		Path:     []byte("/users/42/settings?utm_source=news&email=a@b.c&utm_medium=mail#top"),
		Referrer: []byte("https://search.example:8443/results?q=secret#frag"), Lang: []byte("en-GB")}
	tests := []struct {
		tier                               consent.Tier
		ts, path, referrer, lang, vid, uid string
	}{
		{consent.T1, "2026-11-23T18:19:00.000Z", "/users/*/settings?utm_source=news&utm_medium=mail", "https://search.example:8443", "en", "", ""},
		{consent.T2, "2026-11-23T18:19:58.623Z", "/users/*/settings?utm_source=news&utm_medium=mail", "https://search.example:8443/results", "en-GB", "0123456789abcdef", ""},
		{consent.T3, "2026-11-23T18:19:58.623Z", "/users/*/settings?utm_source=news&email=a@b.c&utm_medium=mail#top", "https://search.example:8443/results", "en-GB", "0123456789abcdef", "u-42"},
	}
	for _, tt := range tests {
		c := fullContext()
		c.SentAt, c.Tier = 0, tt.tier
		c.PathRedactions = [][]byte{[]byte("/users/*/settings")}
		var row map[string]any
		if err := json.Unmarshal(AppendRow(nil, e, c), &row); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{"ts": tt.ts, "path": tt.path, "referrer": tt.referrer, "lang": tt.lang, "visitor_id": tt.vid, "uid": tt.uid} {
			if got, _ := row[k].(string); got != want {
				t.Errorf("%v %s = %q, want %q", tt.tier, k, got, want)
			}
		}
	}
}

func TestRedactions(t *testing.T) {
	c := &Context{Tier: consent.T3, PathRedactions: [][]byte{[]byte("/a/*"), []byte("/b/*/c/*")}}
	for path, want := range map[string]string{
		"/a/1": `"/a/*"`, "/a/1/x": `"/a/1/x"`, "/b/2/c/3": `"/b/*/c/*"`, "/b/2/d/3": `"/b/2/d/3"`,
		"/a/\"x\"": `"/a/*"`, "/z/\"q\"": `"/z/\"q\""`, "/": `"/"`,
	} {
		if got := string(appendPath([]byte("x"), []byte(path), c)); got != "x"+want {
			t.Errorf("%q -> %s, want %s", path, got, want)
		}
	}
}

func TestConsentEventsHaveNoRow(t *testing.T) {
	b := &wire.Batch{Events: []wire.Event{{ID: []byte("c"), Kind: wire.KindConsent, TS: 1}, {ID: []byte("p"), Kind: wire.KindPageview, TS: 1}}}
	out := AppendRows(nil, b, fullContext())
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil || m["event_id"] != "p" {
		t.Errorf("rows %s", out)
	}
}

func TestHashRoutesStayBelowT3(t *testing.T) {
	allowed := [][]byte{[]byte("q")}
	for in, want := range map[string]string{
		"?q=1&x=2#/users/7":     "?q=1#/users/7",
		"#/users/7?token=abc":   "#/users/7",
		"#!/cart":               "#!/cart",
		"?x=1#section-2":        "",
		"#top":                  "",
		"?q=shoes#/results?p=2": "?q=shoes#/results",
	} {
		if got := string(appendAllowedQuery(nil, []byte(in), allowed)); got != want {
			t.Errorf("appendAllowedQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
