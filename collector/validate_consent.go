package collector

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/consent"
)

var (
	basisNames    = []string{"exempt", "consent", "consent-count"}
	authNames     = []string{"none", "banner", "api", "tcf", "gpp", "gcm"}
	gpcScopeNames = []string{"sale-share", "all-optional"}
	profileNames  = []string{"optin", "optout", "gb-statistical", "strictest", "off"}
	capNames      = []string{"measurement", "analytics", "interaction", "marketing"}
)

// validateConsent checks one site's consent policy.
func validateConsent(ps *problems, path string, c ConsentConfig) {
	path += ".consent"
	oneOf(ps, path+".basis", c.Basis, basisNames, "a measurement basis")
	oneOf(ps, path+".authority", c.Authority, authNames, "a consent source")
	oneOf(ps, path+".default_profile", c.DefaultProfile, profileNames, "a region profile")
	oneOf(ps, path+".gpc_scope", c.GPCScope, gpcScopeNames, "a GPC scope")
	validateRegions(ps, path+".regions", c.Regions)
	if c.Basis == "" || c.Basis == "exempt" {
		validateExemptRegions(ps, path+".regions", c.Regions)
	}
	validateCaps(ps, path+".caps", c.Caps)
	validatePeriods(ps, path, c)
	validatePatterns(ps, path+".path_redactions", c.PathRedactions)
	validateParams(ps, path+".query_allowlist", c.QueryAllowlist)
}

func oneOf(ps *problems, path, v string, names []string, what string) {
	if v != "" && !slices.Contains(names, v) {
		ps.add(path, "%q is not %s; use %s", v, what, orList(names))
	}
}

// orList returns "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func validateRegions(ps *problems, path string, regions map[string]string) {
	if len(regions) > consent.MaxRules {
		ps.add(path, "%d rules are more than the %d a policy may carry to the page; group countries with EEA", len(regions), consent.MaxRules)
	}
	for _, k := range sortedKeys(regions) {
		kpath := fmt.Sprintf("%s.%s", path, k)
		if !validRegionKey(k) {
			ps.add(kpath, "%q is not a region; write a country code (FR), a country and subdivision (US-CA), or EEA", k)
		}
		oneOf(ps, kpath, regions[k], profileNames, "a region profile")
	}
}

// validRegionKey reports whether k is EEA, CC or CC-SUB in upper case.
func validRegionKey(k string) bool { return consent.ValidRegionMatch(k) }

// validateExemptRegions refuses rules that would loosen an opt-in region
// under the exemption: it allows neither interaction nor marketing, nor a
// stable id, without consent. GB may use its statistical exception.
func validateExemptRegions(ps *problems, path string, regions map[string]string) {
	base := consent.DefaultPolicy()
	for _, k := range sortedKeys(regions) {
		r, ok := consent.ParseRegion([]byte(k))
		if k == "EEA" {
			r, ok = consent.Region{Country: "FR"}, true
		}
		prof, pok := consent.ParseProfile(regions[k])
		if !ok || !pok {
			continue // reported already
		}
		builtin, _ := base.ProfileFor(r)
		loosened := prof == consent.ProfileOptOut || prof == consent.ProfileGBStatistical && r.Country != "GB"
		if builtin == consent.ProfileOptIn && loosened {
			ps.add(path+"."+k, "%s is an opt-in region; %s there would allow tracking without consent, which the exemption (basis: exempt) forbids; use optin, strictest or off", k, regions[k])
		}
	}
}

func validateCaps(ps *problems, path string, caps []string) {
	for i, c := range caps {
		cpath := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case c == "necessary":
			ps.add(cpath, "necessary cannot be turned off: it covers abuse defence and storing the visitor's own choice")
		case !slices.Contains(capNames, c):
			ps.add(cpath, "%q is not a purpose; use %s", c, orList(capNames))
		case slices.Index(caps, c) < i:
			ps.add(cpath, "%q is listed twice", c)
		}
	}
}

func validatePeriods(ps *problems, path string, c ConsentConfig) {
	switch {
	case c.WaitForConsent < 0:
		ps.add(path+".wait_for_consent", "%v is negative; leave it out for the default", c.WaitForConsent)
	case c.WaitForConsent > MaxWaitForConsent:
		ps.add(path+".wait_for_consent", "%v is longer than the 5s a page may hold events waiting for a consent manager; use 5s or less", c.WaitForConsent)
	}
	switch {
	case c.Validity < 0 || c.Validity > 0 && c.Validity < Day:
		ps.add(path+".validity", "%v is too short for a choice to last; write at least 1d, or leave it out for the default of 390d", c.Validity)
	case c.Validity > MaxValidity:
		ps.add(path+".validity", "%v is longer than the 13 months a choice may last; use 390d or less", c.Validity)
	}
	switch {
	case c.Retention.Events < 0:
		ps.add(path+".retention.events", "%v is negative; leave it out to keep events as long as the law allows (25 months)", c.Retention.Events)
	case c.Retention.Events > MaxEventRetention:
		ps.add(path+".retention.events", "%v is longer than the 25 months collected data may be kept; use 750d or less", c.Retention.Events)
	}
}

func validatePatterns(ps *problems, path string, patterns []string) {
	for i, p := range patterns {
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?# ") {
			ps.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a path pattern; write a path starting with /, where * stands for one segment, like /account/*", p)
		}
	}
}

func validateParams(ps *problems, path string, params []string) {
	for i, p := range params {
		if p == "" || strings.ContainsAny(p, "=&?# ") {
			ps.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a query parameter name, like utm_source", p)
		}
	}
}

// validateRegion checks where regions come from.
// validateDatacenters loads the lists, so that a missing file or a bad
// line is found by check-config.
func validateDatacenters(ps *problems, paths []string) {
	if _, err := enrich.LoadDatacenters(paths); err != nil {
		ps.add("datacenter_ranges", "%v", err)
	}
}

func validateRegion(ps *problems, r RegionConfig) {
	checkHeader(ps, "region.country_header", r.CountryHeader)
	checkHeader(ps, "region.subdivision_header", r.SubdivisionHeader)
	if r.SubdivisionHeader != "" && r.CountryHeader == "" {
		ps.add("region.subdivision_header", "a subdivision needs its country; set country_header too")
	}
	if r.GeoIPDB != "" {
		if fi, err := os.Stat(r.GeoIPDB); err != nil || fi.IsDir() {
			ps.add("region.geoip_db", "%q is not a readable file; give the path of a MaxMind-format database (.mmdb)", r.GeoIPDB)
		}
	}
}

func checkHeader(ps *problems, path, h string) {
	if h != "" && strings.ContainsAny(h, " :\t\r\n") {
		ps.add(path, "%q is not a header name, like CF-IPCountry", h)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
