package channel

import "bytes"

// byCampaign classifies a pageview with utm_* by GA4's rules.
func (c *Classifier) byCampaign(in *Input, host []byte) Result {
	var mbuf, sbuf [maxName]byte
	medium := lower(mbuf[:0], in.UTMMedium)
	src, source := c.campaignSource(in, host, sbuf[:0])
	paid := isPaid(medium)
	ch := Unassigned
	switch {
	case paid && src.kind == kindSearch:
		ch = PaidSearch
	case paid && src.kind == kindSocial:
		ch = PaidSocial
	case paid && src.kind == kindVideo:
		ch = Video
	case oneOf(medium, "display", "banner", "expandable", "interstitial", "cpm"):
		ch = Display
	case paid:
		ch = PaidOther
	default:
		ch = organicCampaign(src.kind, medium, source)
	}
	return Result{Channel: ch, Source: or(in.UTMSource, or(src.name, host))}
}

// campaignSource finds what the campaign's source is: the utm_source by
// name or host, else the referrer's host, else Facebook for an fbclid. It
// also returns the lower-cased utm_source, written into buf.
func (c *Classifier) campaignSource(in *Input, host, buf []byte) (source, []byte) {
	name := lower(buf, in.UTMSource)
	if len(name) > 0 {
		s, _ := c.byName(name)
		return s, name
	}
	if s, ok := c.byHost(host); ok {
		return s, name
	}
	if _, fb, ok := clickChannel(in.Click); ok {
		return source{kind: kindSocial, name: fb}, name
	}
	return source{kind: kindNone}, name
}

// organicCampaign applies GA4's unpaid rules, from AI assistants down.
func organicCampaign(k kind, medium, source []byte) string {
	switch {
	case k == kindAI:
		return AIAssistant
	case k == kindSocial || bytes.HasPrefix(medium, []byte("social")) || string(medium) == "sm":
		return OrganicSocial
	case k == kindVideo || bytes.Contains(medium, []byte("video")):
		return Video
	case k == kindSearch || string(medium) == "organic":
		return OrganicSearch
	case k == kindEmail || isEmail(medium) || isEmail(source):
		return Email
	case oneOf(medium, "affiliate", "affiliates"):
		return Affiliate
	case string(medium) == "sms" || string(source) == "sms":
		return SMS
	case oneOf(medium, "referral", "app", "link"):
		return Referral
	}
	return Unassigned
}

// isPaid is GA4's paid medium: ^(.*cp.*|ppc|retargeting|paid.*)$.
func isPaid(medium []byte) bool {
	return bytes.Contains(medium, []byte("cp")) || string(medium) == "ppc" ||
		string(medium) == "retargeting" || bytes.HasPrefix(medium, []byte("paid"))
}

func isEmail(s []byte) bool { return oneOf(s, "email", "e-mail", "e_mail", "e mail") }

func oneOf(s []byte, list ...string) bool {
	for _, v := range list {
		if string(s) == v {
			return true
		}
	}
	return false
}
