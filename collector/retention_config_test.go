package collector

import (
	"strings"
	"testing"
)

func TestRetentionIsValidated(t *testing.T) {
	cfg, _ := testConfig(t)
	neg, long := -1, 400
	cfg.Retention.Days = 40000
	cfg.Sites = append(cfg.Sites,
		SiteConfig{ID: "a.example", Origins: []string{"https://a.example"}, RetentionDays: &neg},
		SiteConfig{ID: "b.example", Origins: []string{"https://b.example"}, RetentionDays: &long,
			Consent: ConsentConfig{Retention: RetentionConfig{Events: 13 * Month}}})
	err := cfg.Validate()
	for _, want := range []string{
		"retention.days: 40000 is not a number of days",
		"sites[1].retention_days: -1 is not a number of days",
		"sites[2].retention_days: keeps data for 400 days, longer than the 13 months the consent policy states",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v\nwant a problem %q", err, want)
		}
	}
}

func TestRetentionDaysPerSite(t *testing.T) {
	forever, short := 0, 7
	cfg := Config{Retention: DataRetentionConfig{Days: 90}, Sites: []SiteConfig{
		{ID: "default.example"}, {ID: "forever.example", RetentionDays: &forever}, {ID: "short.example", RetentionDays: &short}}}
	sites, def := cfg.RetentionDays()
	if def != 90 || sites["default.example"] != 90 || sites["forever.example"] != 0 || sites["short.example"] != 7 {
		t.Errorf("RetentionDays() = %v, %d", sites, def)
	}
}
