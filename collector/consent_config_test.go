package collector

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/consent"
)

func TestValidateConsentListsEveryProblem(t *testing.T) {
	cfg, err := LoadConfig("testdata/bad-consent.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`sites[0].consent.basis: "legitimate-interest" is not a measurement basis; use exempt, consent or consent-count`,
		`sites[0].consent.authority: "onetrust" is not a consent source; use none, banner, api, tcf, gpp or gcm`,
		`sites[0].consent.default_profile: "relaxed" is not a region profile; use optin, optout, gb-statistical, strictest or off`,
		`sites[0].consent.gpc_scope: "everything" is not a GPC scope; use sale-share or all-optional`,
		`sites[0].consent.regions.France: "France" is not a region; write a country code (FR), a country and subdivision (US-CA), or EEA`,
		`sites[0].consent.regions.US-CA: "opt-out" is not a region profile; use optin, optout, gb-statistical, strictest or off`,
		`sites[0].consent.caps[0]: necessary cannot be turned off: it covers abuse defence and storing the visitor's own choice`,
		`sites[0].consent.caps[1]: "ads" is not a purpose; use measurement, analytics, interaction or marketing`,
		`sites[0].consent.caps[3]: "marketing" is listed twice`,
		`sites[0].consent.wait_for_consent: 10s is longer than the 5s a page may hold events waiting for a consent manager; use 5s or less`,
		`sites[0].consent.validity: 2 years is longer than the 13 months a choice may last; use 390d or less`,
		`sites[0].consent.retention.events: 3 years is longer than the 25 months collected data may be kept; use 750d or less`,
		`sites[0].consent.path_redactions[0]: "account/*" is not a path pattern; write a path starting with /, where * stands for one segment, like /account/*`,
		`sites[0].consent.query_allowlist[0]: "utm source" is not a query parameter name, like utm_source`,
		`region.subdivision_header: "CF Region" is not a header name, like CF-IPCountry`,
		`region.subdivision_header: a subdivision needs its country; set country_header too`,
	}
	var cerr *ConfigError
	if err := cfg.Validate(); !errors.As(err, &cerr) {
		t.Fatalf("Validate() = %v", err)
	}
	var got []string
	for _, p := range cerr.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExemptionCannotLoosenOptInRegions(t *testing.T) {
	cfg := Config{Sites: []SiteConfig{{ID: "a.com", Origins: []string{"https://a.com"},
		Consent: ConsentConfig{Regions: map[string]string{"FR": "optout", "EEA": "gb-statistical", "GB": "gb-statistical", "US": "optout", "DE": "off"}}}}}
	err := cfg.Validate()
	want := []string{
		"sites[0].consent.regions.EEA: EEA is an opt-in region; gb-statistical there would allow tracking without consent, which the exemption (basis: exempt) forbids; use optin, strictest or off",
		"sites[0].consent.regions.FR: FR is an opt-in region; optout there would allow tracking without consent, which the exemption (basis: exempt) forbids; use optin, strictest or off",
	}
	var cerr *ConfigError
	if !errors.As(err, &cerr) || len(cerr.Problems) != 2 || cerr.Problems[0].String() != want[0] || cerr.Problems[1].String() != want[1] {
		t.Errorf("Validate() = %v", err)
	}
	cfg.Sites[0].Consent.Basis = "consent"
	if err := cfg.Validate(); err != nil {
		t.Errorf("consent basis: %v", err)
	}
}

func TestConsentExamplesAreValid(t *testing.T) {
	for _, f := range []string{"eu-shop", "eu-tcf", "us-site", "example"} {
		cfg, err := LoadConfig("testdata/" + f + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestPolicyFromConfig(t *testing.T) {
	if got, want := (ConsentConfig{}).Policy(), consent.DefaultPolicy(); !samePolicy(got, want) {
		t.Errorf("zero config: %+v, want the default %+v", got, want)
	}
	off := false
	c := ConsentConfig{Basis: "consent", Authority: "tcf", Regions: map[string]string{"US-CA": "optout", "EEA": "optin", "GB": "gb-statistical"},
		DefaultProfile: "optin", GPCScope: "all-optional", HonorDNT: &off, Caps: []string{"marketing"},
		WaitForConsent: 2 * time.Second, Revision: 3, Validity: 180 * Day}
	p := c.Policy()
	if p.Basis != consent.BasisConsent || p.Authority != consent.SourceTCF || p.Default != consent.ProfileOptIn ||
		p.GPCScope != consent.GPCAllOptional || p.HonorDNT || p.Caps[consent.Marketing] != consent.Denied ||
		p.WaitMillis != 2000 || p.Revision != 3 || p.ValidityDays != 180 {
		t.Errorf("policy: %+v", p)
	}
	if len(p.Regions) != 3 || p.Regions[0].Match != "EEA" || p.Regions[2].Match != "US-CA" {
		t.Errorf("regions not in a fixed order: %+v", p.Regions)
	}
	if a, b := siteConsent(c), siteConsent(c); string(a.Hash) != string(b.Hash) || len(a.Hash) != 16 {
		t.Errorf("hash not stable: %s %s", a.Hash, b.Hash)
	}
	if none := (ConsentConfig{Authority: "none"}).Policy(); none.Authority != consent.SourceNone {
		t.Errorf("authority none: %v", none.Authority)
	}
}

func samePolicy(a, b consent.Policy) bool {
	return string(consent.AppendPolicy(nil, &a)) == string(consent.AppendPolicy(nil, &b))
}

func TestPeriod(t *testing.T) {
	for in, want := range map[string]Period{"390d": 390 * Day, "13mo": 390 * Day, "2y": 2 * Year, "6w": 6 * Week, "36h": Period(36 * time.Hour)} {
		var p Period
		if err := p.UnmarshalText([]byte(in)); err != nil || p != want {
			t.Errorf("%q: %v %v", in, p, err)
		}
	}
	for _, bad := range []string{"", "forever", "1.5d", "-3d", "d"} {
		var p Period
		if err := p.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q accepted as %v", bad, p)
		}
	}
	if s := (2 * Year).String(); s != "2 years" {
		t.Errorf("String() = %q", s)
	}
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("sites:\n  - id: a.com\n    consent:\n      validity: forever\n"), 0o644)
	if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), `"forever" is not a period`) {
		t.Errorf("LoadConfig = %v", err)
	}
}

func TestExemptionNotes(t *testing.T) {
	cfg, err := LoadConfig("testdata/eu-shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(cfg.ExemptionNotes(), "\n")
	for _, want := range []string{"sites[0] (shop.example.eu) measures on the audience-measurement exemption",
		"a choice lasts 390d, within 13 months", "event retention: 25mo, within 25 months", "no marketing without consent"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if cfg, _ := LoadConfig("testdata/eu-tcf.yaml"); len(cfg.ExemptionNotes()) != 0 {
		t.Error("notes for a consent-basis site")
	}
}

func TestValidateRegion(t *testing.T) {
	cfg := Config{Sites: []SiteConfig{{ID: "a.com", Origins: []string{"https://a.com"}}},
		Region: RegionConfig{GeoIPDB: "/nonexistent/GeoLite2-Country.mmdb"}}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(),
		`region.geoip_db: "/nonexistent/GeoLite2-Country.mmdb" is not a readable file; give the path of a MaxMind-format database (.mmdb)`) {
		t.Errorf("Validate() = %v", err)
	}
}
