package collector

import (
	"fmt"
	"slices"
)

// ExemptionNotes says, for every site measuring on the exempt basis (the
// default), which of the exemption's technical conditions (consent.md
// §3.3) hold and how. They cannot be configured away: Validate refuses a
// longer validity or retention, and the consent engine never allows
// interaction or marketing without consent. check-config prints them.
func (c Config) ExemptionNotes() []string {
	var notes []string
	for i, s := range c.Sites {
		if s.Consent.Basis != "" && s.Consent.Basis != "exempt" {
			continue
		}
		p := s.Consent.Policy()
		retention := "not set; the storage must delete events older than 25 months"
		if r := s.Consent.Retention.Events; r > 0 {
			retention = fmt.Sprintf("%s, within 25 months", r.short())
		}
		notes = append(notes, fmt.Sprintf("sites[%d] (%s) measures on the audience-measurement exemption; its conditions hold:", i, s.ID),
			fmt.Sprintf("  - a choice lasts %dd, within 13 months (390d), and is not renewed by visits", p.ValidityDays),
			"  - event retention: "+retention,
			"  - in opt-in regions, no interaction streams and no marketing without consent (enforced by the consent engine); rules loosening an opt-in region are refused",
			"  - visitor keys are per site and per day (the site id is in every hash; salts are destroyed within 48 h); no IP address or User-Agent is stored",
			"  - unknown regions get the strictest profile; "+objections(p.HonorDNT)+" in opt-in regions (counts only, no visitor key)")
		if slices.Contains(s.Consent.Caps, "measurement") {
			notes = append(notes, "  - measurement is capped: counts only (T1)")
		}
	}
	return notes
}

func objections(dnt bool) string {
	if dnt {
		return "GPC and DNT are objections"
	}
	return "GPC is an objection (honor_dnt is off)"
}
