package collector

import "fmt"

// DataRetentionConfig says how long data is kept. (A site's
// consent.retention states its retention to visitors; this deletes.)
//
//	retention:
//	  days: 395
type DataRetentionConfig struct {
	// Days is how many days of data are kept for the sites that do not
	// set retention_days: every day, and at start, partitions dated more
	// than this many days before today (UTC) are deleted. Default 0: keep
	// everything.
	Days int `yaml:"days"`
}

// maxRetentionDays bounds retention settings: a hundred years.
const maxRetentionDays = 36500

func validateRetention(ps *problems, r DataRetentionConfig, sites []SiteConfig) {
	checkDays(ps, "retention.days", r.Days)
	for i, s := range sites {
		path := fmt.Sprintf("sites[%d].retention_days", i)
		days := r.Days
		if s.RetentionDays != nil {
			days = *s.RetentionDays
			checkDays(ps, path, days)
		}
		if stated := s.Consent.Retention.Events; stated > 0 && days > int(stated.Days()) {
			ps.add(path, "keeps data for %d days, longer than the %v the consent policy states (consent.retention.events); set retention_days to %d or less", days, stated, stated.Days())
		}
	}
}

func checkDays(ps *problems, path string, days int) {
	if days < 0 || days > maxRetentionDays {
		ps.add(path, "%d is not a number of days; write 1 to %d to delete older data, or 0 to keep it forever", days, maxRetentionDays)
	}
}

// RetentionDays returns each configured site's retention in days (0:
// forever), and the default for the sites not configured.
func (c Config) RetentionDays() (sites map[string]int, def int) {
	sites = make(map[string]int, len(c.Sites))
	for _, s := range c.Sites {
		sites[s.ID] = c.Retention.Days
		if s.RetentionDays != nil {
			sites[s.ID] = *s.RetentionDays
		}
	}
	return sites, c.Retention.Days
}
