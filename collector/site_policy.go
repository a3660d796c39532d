package collector

import (
	"slices"

	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/consent"
)

// Policy returns the consent policy c describes: consent.DefaultPolicy()
// with every field c sets replacing its default. c must be valid.
func (c ConsentConfig) Policy() consent.Policy {
	p := consent.DefaultPolicy()
	if c.Basis != "" {
		p.Basis = consent.Basis(slices.Index(basisNames, c.Basis))
	}
	if c.Authority != "" {
		p.Authority, _ = consent.ParseSource(c.Authority) // "none" is SourceNone
	}
	if c.DefaultProfile != "" {
		p.Default, _ = consent.ParseProfile(c.DefaultProfile)
	}
	if c.GPCScope != "" {
		p.GPCScope = consent.GPCScope(slices.Index(gpcScopeNames, c.GPCScope))
	}
	if c.HonorDNT != nil {
		p.HonorDNT = *c.HonorDNT
	}
	p.Regions = append(p.Regions, regionRules(c.Regions)...)
	for _, name := range c.Caps {
		if purpose, ok := consent.ParsePurpose(name); ok {
			p.Caps[purpose] = consent.Denied
		}
	}
	c.setNumbers(&p)
	return p
}

func (c ConsentConfig) setNumbers(p *consent.Policy) {
	if c.WaitForConsent > 0 {
		p.WaitMillis = uint32(c.WaitForConsent.Milliseconds())
	}
	if c.Revision > 0 {
		p.Revision = c.Revision
	}
	if c.Validity > 0 {
		p.ValidityDays = c.Validity.Days()
	}
}

// regionRules returns the rules in a fixed order (by match), so that the
// policy, and so its hash, does not depend on the map's order.
func regionRules(m map[string]string) []consent.RegionRule {
	rules := make([]consent.RegionRule, 0, len(m))
	for _, k := range sortedKeys(m) {
		prof, _ := consent.ParseProfile(m[k])
		rules = append(rules, consent.RegionRule{Match: k, Profile: prof})
	}
	return rules
}

// siteConsent prepares c for the hot path.
func siteConsent(c ConsentConfig) site.Consent {
	p := c.Policy()
	return site.Consent{
		Policy:         p,
		Hash:           p.AppendHash(nil),
		Text:           consent.AppendPolicy(nil, &p),
		QueryAllowlist: byteSlices(c.QueryAllowlist),
		PathRedactions: byteSlices(c.PathRedactions),
	}
}

func byteSlices(list []string) [][]byte {
	out := make([][]byte, len(list))
	for i, s := range list {
		out[i] = []byte(s)
	}
	return out
}
