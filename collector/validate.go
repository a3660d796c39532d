package collector

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/site"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Path names the field, as in the YAML: "sites[1].origins[0]".
	Path string
	// Message says what is wrong and, where it can, how to fix it.
	Message string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// ConfigError lists every problem Validate found.
type ConfigError struct {
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("invalid configuration:")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects Problems.
type problems []Problem

func (ps *problems) add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate checks c and returns a *ConfigError listing every problem, each
// with the path of its field, or nil.
func (c Config) Validate() error {
	var ps problems
	validateListen(&ps, c.Listen)
	validateNetworks(&ps, "trusted_proxies", c.TrustedProxies)
	validateSites(&ps, c.Sites, c.Demo)
	validateFiles(&ps, c.Files, c.withDefaults().Files)
	validateLimits(&ps, c.Limits, c.withDefaults().Limits)
	validateDedupe(&ps, c.Dedupe)
	validateRegion(&ps, c.Region)
	validateDatacenters(&ps, c.DatacenterRanges)
	validateSpool(&ps, c.Spool, c.withDefaults().Spool)
	validateRetention(&ps, c.Retention, c.Sites)
	validateCluster(&ps, c.Cluster)
	validateBatching(&ps, "files.batching", c.Files.Batching)
	validateSinks(&ps, c.Sinks)
	if len(ps) == 0 {
		return nil
	}
	return &ConfigError{Problems: ps}
}

func validateListen(ps *problems, listen string) {
	if listen == "" {
		return
	}
	_, port, err := net.SplitHostPort(listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		ps.add("listen", "%q is not an address; write host:port, like :8080 or 127.0.0.1:8080", listen)
	}
}

func validateSites(ps *problems, sites []SiteConfig, demo bool) {
	if len(sites) == 0 && !demo {
		ps.add("sites", "no site is configured; add one with the origins its pages are served from, or run in demo mode")
	}
	firstUse := map[string]int{}
	for i, s := range sites {
		path := fmt.Sprintf("sites[%d]", i)
		if err := site.ValidateID(s.ID); err != nil {
			ps.add(path+".id", "%v", err)
		} else if j, dup := firstUse[s.ID]; dup {
			ps.add(path+".id", "%q is already used by sites[%d]", s.ID, j)
		} else {
			firstUse[s.ID] = i
		}
		validateOrigins(ps, path+".origins", s.Origins, demo)
		validateConsent(ps, path, s.Consent)
		validateGoals(ps, path+".goals", s.Goals)
		validateNetworks(ps, path+".exclude_networks", s.ExcludeNetworks)
		if s.Bots != "" && s.Bots != "keep" && s.Bots != "drop" && s.Bots != "flag" {
			ps.add(path+".bots", "%q is not a choice; write keep (rows with device bot, the default), drop, or flag (rows with bot_score and bot_reasons)", s.Bots)
		}
		validateSecret(ps, path+".secret", s.Secret)
	}
}

func validateOrigins(ps *problems, path string, origins []string, demo bool) {
	if len(origins) == 0 && !demo {
		ps.add(path, "list the origins the site's pages are served from, like https://example.com")
	}
	seen := map[string]bool{}
	for j, o := range origins {
		opath := fmt.Sprintf("%s[%d]", path, j)
		if err := site.ValidateOrigin(o); err != nil {
			ps.add(opath, "%v", err)
		} else if seen[o] {
			ps.add(opath, "%q is listed twice", o)
		}
		seen[o] = true
	}
}

func validateFiles(ps *problems, f, eff FilesConfig) {
	if err := filesink.Format(f.Format).Check(); err != nil {
		ps.add("files.format", "%v", err)
	}
	atLeastSecond(ps, "files.roll_interval", f.RollInterval)
	atLeastSecond(ps, "files.flush_interval", f.FlushInterval)
	if f.MaxFileBytes < 0 {
		ps.add("files.max_file_bytes", "%d is negative; leave it out for the default of 64 MiB", f.MaxFileBytes)
	}
	if f.FlushInterval > 0 && eff.FlushInterval > eff.RollInterval {
		ps.add("files.flush_interval", "%v is longer than the roll interval (%v); files would roll before their rows are written", eff.FlushInterval, eff.RollInterval)
	}
}

func atLeastSecond(ps *problems, path string, d time.Duration) {
	if d < 0 || (d > 0 && d < time.Second) {
		ps.add(path, "%v is too short; write at least 1s, or leave it out for the default", d)
	}
}

func validateLimits(ps *problems, l, eff LimitsConfig) {
	if l.BodyBytes < 0 {
		ps.add("limits.body_bytes", "%d is negative; leave it out for the default of 64 KiB", l.BodyBytes)
	}
	if l.DecodedBytes < 0 {
		ps.add("limits.decoded_bytes", "%d is negative; leave it out for the default of 512 KiB", l.DecodedBytes)
	}
	for _, r := range []struct {
		name  string
		rate  *float64
		burst int
	}{{"network", l.NetworkRate, l.NetworkBurst}, {"site", l.SiteRate, l.SiteBurst}} {
		if r.rate != nil && (*r.rate < 0 || *r.rate != *r.rate) {
			ps.add("limits."+r.name+"_rate", "%v is not a rate; give batches per second, or 0 for no limit", *r.rate)
		}
		if r.burst < 0 {
			ps.add("limits."+r.name+"_burst", "%d is negative; leave it out for the default", r.burst)
		}
	}
	if l.BodyBytes >= 0 && l.DecodedBytes >= 0 && eff.DecodedBytes < eff.BodyBytes {
		ps.add("limits.decoded_bytes", "%d is smaller than the body limit (%d); an uncompressed batch that fits the body limit would still be refused", eff.DecodedBytes, eff.BodyBytes)
	}
}
