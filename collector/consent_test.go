package collector

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// consentBatch returns a gzip batch of two pageviews for example.com
// carrying the page's claim (tier, flags, uid) and signals.
func consentBatch(t *testing.T, tier, flags, uid, signals, policy string) []byte {
	t.Helper()
	now := time.Now().UnixMilli()
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: now,
		Tier: []byte(tier), Flags: []byte(flags), UID: []byte(uid), Signals: []byte(signals), Policy: []byte(policy)}
	for i := range 2 {
		b.Events = append(b.Events, wire.Event{ID: fmt.Appendf(nil, "ev-%d", i), Kind: wire.KindPageview, TS: now - 100,
			Path: []byte("/p?utm_source=x&token=secret"), Referrer: []byte("https://search.example/r?q=1"), Lang: []byte("fr-FR")})
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(wire.AppendBatch(nil, &b))
	zw.Close()
	return buf.Bytes()
}

// postWith posts body to /e with extra headers (name, value, ...).
func postWith(t *testing.T, url string, body []byte, header ...string) {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/e", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", testOrigin)
	req.Header.Set("User-Agent", testUA)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /e: %s (%s)", resp.Status, resp.Header.Get("X-Crumbless-Reason"))
	}
}

// regionConfig is testConfig trusting CF-IPCountry.
func regionConfig(t *testing.T, c ConsentConfig) Config {
	cfg, _ := testConfig(t)
	cfg.Region = RegionConfig{CountryHeader: "CF-IPCountry", SubdivisionHeader: "CF-Region-Code"}
	cfg.Sites[0].Consent = c
	return cfg
}

// runBatch starts a collector, posts one batch, and returns the rows and
// the metrics text.
func runBatch(t *testing.T, cfg Config, body []byte, header ...string) ([]map[string]any, string) {
	t.Helper()
	ts := start(t, cfg)
	postWith(t, ts.url, body, header...)
	_, metrics := get(t, "GET", ts.url+"/metrics")
	shutdown(t, ts.Server)
	return checkFiles(t, cfg.DataDir, "example.com"), string(metrics)
}

func hasMetric(t *testing.T, metrics, line string) {
	t.Helper()
	if !strings.Contains(metrics, line+"\n") {
		t.Errorf("metrics lack %q", line)
	}
}

// TestEUClaimWithoutConsentIsClamped is the acceptance case: a hand-made
// batch claiming T3 (with a uid) for a visitor in France who gave no
// consent. On the default exempt basis the edge decides T2 (consent.md
// §3.2 rule 1): the uid goes, only the daily edge hash stays. On the
// consent basis it decides T0: nothing is written. Either way the clamp is
// counted.
func TestEUClaimWithoutConsentIsClamped(t *testing.T) {
	body := consentBatch(t, "T3", "im", "uid-123", "", "")
	rows, metrics := runBatch(t, regionConfig(t, ConsentConfig{}), body, "CF-IPCountry", "FR")
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	for _, r := range rows {
		if r["tier"] != "T2" || r["uid"] != nil || r["path"] != "/p?utm_source=x" || r["referrer"] != "https://search.example/r" {
			t.Errorf("exempt basis row: %v", r)
		}
		if reasons := fmt.Sprint(r["consent_reasons"]); !strings.Contains(reasons, "NO_CHOICE") || !strings.Contains(reasons, "CLAMPED") {
			t.Errorf("consent_reasons = %v", reasons)
		}
	}
	hasMetric(t, metrics, `crumbless_events_clamped_total{reason="NO_CHOICE"} 2`)

	rows, metrics = runBatch(t, regionConfig(t, ConsentConfig{Basis: "consent"}), body, "CF-IPCountry", "FR")
	if len(rows) != 0 {
		t.Errorf("consent basis without consent wrote %v", rows)
	}
	hasMetric(t, metrics, `crumbless_events_clamped_total{reason="NO_CHOICE"} 2`)
	hasMetric(t, metrics, `crumbless_events_dropped_total{reason="tier_t0"} 2`)
}

// TestEUClaimWithoutConsentIsWrittenWithoutIdentifiers is the acceptance
// case on a site that counts before consent (basis consent-count): the
// hand-made T3 claim is written, at T1, with no identifier of any kind,
// with its coarse fields, and the clamp is counted.
func TestEUClaimWithoutConsentIsWrittenWithoutIdentifiers(t *testing.T) {
	body := consentBatch(t, "T3", "im", "uid-123", "", "")
	rows, metrics := runBatch(t, regionConfig(t, ConsentConfig{Basis: "consent-count"}), body, "CF-IPCountry", "FR")
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	for _, r := range rows {
		if r["tier"] != "T1" || r["uid"] != nil || r["visitor_id"] != nil {
			t.Errorf("row %v: want T1 without visitor_id or uid", r)
		}
		if r["referrer"] != "https://search.example" || r["lang"] != "fr" {
			t.Errorf("row %v: want the T1 referrer origin and primary language", r)
		}
	}
	hasMetric(t, metrics, `crumbless_events_clamped_total{reason="NO_CHOICE"} 2`)
}

// TestGPCHeaderGivesT1InEU: Sec-GPC: 1 from an EU visitor on the exempt
// basis is an objection: T1 rows, no visitor_id, no uid, coarse fields.
func TestGPCHeaderGivesT1InEU(t *testing.T) {
	body := consentBatch(t, "T3", "", "uid-123", "", "")
	rows, metrics := runBatch(t, regionConfig(t, ConsentConfig{Basis: "exempt"}), body,
		"CF-IPCountry", "DE", "Sec-GPC", "0", "Sec-GPC", "1")
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	for _, r := range rows {
		if r["tier"] != "T1" || r["visitor_id"] != nil || r["uid"] != nil || r["referrer"] != "https://search.example" ||
			r["lang"] != "fr" || !strings.HasSuffix(r["ts"].(string), ":00.000Z") {
			t.Errorf("row: %v", r)
		}
	}
	hasMetric(t, metrics, `crumbless_events_clamped_total{reason="GPC"} 2`)
}

// TestUSVisitorKeepsT3: no signals in California: the claim stands, uid kept.
func TestUSVisitorKeepsT3(t *testing.T) {
	body := consentBatch(t, "T3", "im", "uid-123", "", "")
	rows, metrics := runBatch(t, regionConfig(t, ConsentConfig{}), body, "CF-IPCountry", "US", "CF-Region-Code", "CA")
	if len(rows) != 2 {
		t.Fatalf("rows: %v", rows)
	}
	for _, r := range rows {
		if r["tier"] != "T3" || r["uid"] != "uid-123" || r["visitor_id"] == nil || r["consent_reasons"] != nil ||
			r["path"] != "/p?utm_source=x&token=secret" {
			t.Errorf("row: %v", r)
		}
	}
	if strings.Contains(metrics, "crumbless_events_clamped_total{reason=\"GPC\"} 2") {
		t.Error("clamped without reason")
	}
}

// TestUnknownRegionIsStrictest: "XX" (a CDN's unknown), "T1" (Tor) and no
// header all mean strictest.
func TestUnknownRegionIsStrictest(t *testing.T) {
	for _, country := range []string{"XX", "T1", ""} {
		body := consentBatch(t, "T3", "", "uid-123", "", "")
		rows, metrics := runBatch(t, regionConfig(t, ConsentConfig{}), body, "CF-IPCountry", country)
		if len(rows) != 2 || rows[0]["tier"] != "T2" || rows[0]["uid"] != nil ||
			!strings.Contains(fmt.Sprint(rows[0]["consent_reasons"]), "REGION_UNKNOWN_STRICT") {
			t.Errorf("country %q: rows %v", country, rows)
		}
		hasMetric(t, metrics, `crumbless_events_clamped_total{reason="REGION_UNKNOWN_STRICT"} 2`)
	}
}

// TestStalePolicyAndBadSignals: a batch decided with an old policy is
// counted and decided with the current one; unreadable signals are counted
// and ignored.
func TestStalePolicyAndBadSignals(t *testing.T) {
	cfg := regionConfig(t, ConsentConfig{})
	current := string(siteConsent(cfg.Sites[0].Consent).Hash)
	body := consentBatch(t, "T2", "", "", "!!not signals!!", "0000000000000000")
	_, metrics := runBatch(t, cfg, body, "CF-IPCountry", "US")
	hasMetric(t, metrics, "crumbless_batches_policy_stale_total 1")
	hasMetric(t, metrics, `crumbless_consent_ignored_total{reason="bad_signals"} 1`)

	cfg = regionConfig(t, ConsentConfig{})
	_, metrics = runBatch(t, cfg, consentBatch(t, "T2", "", "", "", current), "CF-IPCountry", "US")
	hasMetric(t, metrics, "crumbless_batches_policy_stale_total 0")
}

// TestPolicyEndpoint checks the /c contract.
func TestPolicyEndpoint(t *testing.T) {
	cfg := regionConfig(t, ConsentConfig{Revision: 7, Authority: "tcf", Regions: map[string]string{"GB": "gb-statistical"}})
	ts := start(t, cfg)
	resp, body := get(t, "GET", ts.url+"/c?site=example.com", "CF-IPCountry", "us", "CF-Region-Code", "US-CA")
	p := cfg.Sites[0].Consent.Policy()
	want := string(consent.AppendPolicy(nil, &p)) + "\nUS-CA\no" // US: opt-out, resolved by ProfileFor
	if resp.StatusCode != 200 || string(body) != want {
		t.Errorf("GET /c: %s %q, want %q", resp.Status, body, want)
	}
	for k, v := range map[string]string{"Content-Type": "text/plain; charset=utf-8",
		"Cache-Control": "private, max-age=300", "Access-Control-Allow-Origin": "*"} {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if parsed, ok := consent.ParsePolicy(body[:bytes.IndexByte(body, '\n')]); !ok || parsed.Revision != 7 {
		t.Errorf("policy does not parse back: %+v %v", parsed, ok)
	}
	_, body = get(t, "GET", ts.url+"/c?site=example.com", "CF-IPCountry", "gb")
	if want := string(consent.AppendPolicy(nil, &p)) + "\nGB\ng"; string(body) != want { // the site's rule
		t.Errorf("GET /c from GB: %q, want %q", body, want)
	}
	_, body = get(t, "GET", ts.url+"/c?site=example.com")
	if !strings.HasSuffix(string(body), "\n\ns") { // no region, the strictest profile
		t.Errorf("unknown region: %q", body)
	}
	resp, body = get(t, "GET", ts.url+"/c?site=other.com")
	if resp.StatusCode != 404 || string(body) != "unknown_site" || resp.Header.Get("X-Crumbless-Reason") != "unknown_site" {
		t.Errorf("unknown site: %s %q", resp.Status, body)
	}
}

func TestPolicyEndpointDemo(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.Sites, cfg.Demo = nil, true
	ts := start(t, cfg)
	resp, body := get(t, "GET", ts.url+"/c?site=anything.test")
	p := consent.DefaultPolicy()
	if resp.StatusCode != 200 || string(body) != string(consent.AppendPolicy(nil, &p))+"\n\ns" {
		t.Errorf("demo: %s %q", resp.Status, body)
	}
}

// TestConsentEventsBecomeRecords: a consent event is written as a consent
// record (not an event row), chained, with the evidence kept only there.
func TestConsentEventsBecomeRecords(t *testing.T) {
	cfg := regionConfig(t, ConsentConfig{Authority: "tcf"})
	ts := start(t, cfg)
	now := time.Now().UnixMilli()
	for i := range 2 {
		b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: now, Tier: []byte("T3"), UID: []byte("uid-9"),
			Events: []wire.Event{
				{ID: fmt.Appendf(nil, "c%d", i), Kind: wire.KindConsent, TS: now - 5, Method: []byte("tcf"),
					States: []byte("GGGDD"), Evidence: []byte("COw4XqLOw4XqLAAAAAENAXCAAAAAAAAAAAAAAAAAAAAA")},
				{ID: fmt.Appendf(nil, "p%d", i), Kind: wire.KindPageview, TS: now - 1, Path: []byte("/")},
			}}
		postWith(t, ts.url, wire.AppendBatch(nil, &b), "CF-IPCountry", "US")
	}
	// The records are spooled with the batch, and written to their files
	// by the consent relay right after.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, metrics := get(t, "GET", ts.url+"/metrics")
		if strings.Contains(string(metrics), "crumbless_consent_records_total 2\n") || time.Now().After(deadline) {
			hasMetric(t, string(metrics), "crumbless_consent_records_total 2")
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	shutdown(t, ts.Server)
	var records, rows int
	for _, f := range readDataDir(t, cfg.DataDir) {
		switch {
		case strings.HasPrefix(f.path, "consent/site=example.com/date="):
			records += bytes.Count(f.plain, []byte("\n"))
			for _, secret := range []string{"127.0.0.1", testUA, "Macintosh"} {
				if bytes.Contains(f.plain, []byte(secret)) {
					t.Errorf("record holds %q", secret)
				}
			}
			for _, want := range []string{`"method":"tcf"`, `"evidence":{"raw":"COw4XqLOw4XqLAAAAAENAXCAAAAAAAAAAAAAAAAAAAAA","check":"invalid: `,
				`"subject":{"kind":"uid","id":"uid-9"}`, `"jurisdiction":{"region":"US","profile":"optout"}`,
				`{"purpose":"measurement","state":"granted","basis":"consent"}`} {
				if !bytes.Contains(f.plain, []byte(want)) {
					t.Errorf("record lacks %s:\n%s", want, f.plain)
				}
			}
		case strings.HasPrefix(f.path, "events/"):
			rows += bytes.Count(f.plain, []byte("\n"))
			if bytes.Contains(f.plain, []byte("COw4Xq")) || bytes.Contains(f.plain, []byte(`"c0"`)) {
				t.Errorf("evidence or consent event in an event row: %s", f.plain)
			}
		}
	}
	if records != 2 || rows != 2 {
		t.Errorf("%d records, %d rows; want 2 and 2", records, rows)
	}
	res, err := record.Verify(cfg.DataDir, "example.com")
	if err != nil || len(res) != 1 || res[0].Break != nil || res[0].Records != 2 {
		t.Errorf("Verify: %+v %v", res, err)
	}
}

// TestEUConsentInAuthoritativeBannerKeepsT3: the banner the site names
// granted everything; the batch carries that choice in its signals, so the
// edge agrees with the page's T3 and the uid stays.
func TestEUConsentInAuthoritativeBannerKeepsT3(t *testing.T) {
	var sig consent.Signals
	for p := range sig.Choices[consent.SourceBanner].States {
		sig.Choices[consent.SourceBanner].States[p] = consent.Granted
	}
	sig.Choices[consent.SourceBanner].At = time.Now().UnixMilli()
	body := consentBatch(t, "T3", "im", "uid-7", string(consent.AppendSignals(nil, &sig)), "")
	rows, _ := runBatch(t, regionConfig(t, ConsentConfig{Basis: "consent", Authority: "banner"}), body, "CF-IPCountry", "FR")
	if len(rows) != 2 || rows[0]["tier"] != "T3" || rows[0]["uid"] != "uid-7" || rows[0]["consent_reasons"] != nil {
		t.Errorf("rows: %v", rows)
	}
	// The same choice from a source the site did not name cannot grant.
	rows, _ = runBatch(t, regionConfig(t, ConsentConfig{Basis: "consent", Authority: "tcf"}), body, "CF-IPCountry", "FR")
	if len(rows) != 0 {
		t.Errorf("a non-authoritative grant was honoured: %v", rows)
	}
}
