package collector

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/crumbless/crumbless/collector/ratelimit"
	"github.com/crumbless/crumbless/sdk"
	"github.com/crumbless/crumbless/sdk/wire"
)

// Config is a collector's configuration. It is usually read from YAML by
// LoadConfig; programs may also fill it in directly. The zero value of
// every field means its default, so an empty file (plus -demo) runs.
//
//	listen: ":8080"
//	data_dir: /var/lib/crumbless
//	sites:
//	  - id: example.com
//	    origins: [https://example.com, https://www.example.com]
//	files:
//	  roll_interval: 60s
type Config struct {
	// Listen is the TCP address to listen on, host:port. Default ":8080".
	Listen string `yaml:"listen"`
	// TrustedProxies are the networks of the proxies in front of the
	// collector (a load balancer, a CDN): from them, the client address is
	// read from X-Forwarded-For (collector/clientip). From anyone else the
	// header is ignored.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// DataDir is where output files go, below DataDir/events. It is
	// created if missing. Default "./data".
	DataDir string `yaml:"data_dir"`
	// Demo accepts batches for any site from http://localhost,
	// http://127.0.0.1 and http://[::1] on any port, and batches without an
	// Origin header; it rolls files every 5 seconds unless
	// files.roll_interval says otherwise. For trying Crumbless on one
	// machine, never for a public server.
	Demo bool `yaml:"demo"`
	// PagesDir is a directory of static pages served at "/". Empty serves
	// none, except in demo mode, where it means DefaultPagesDir. A missing
	// directory is logged and skipped.
	PagesDir string `yaml:"pages_dir"`
	// Sites are the sites events are accepted for. At least one is
	// required outside demo mode.
	Sites []SiteConfig `yaml:"sites"`
	// Files configures the output files.
	Files FilesConfig `yaml:"files"`
	// Limits bound what one request may carry.
	Limits LimitsConfig `yaml:"limits"`
	// Dedupe configures the seen-set that drops retried events.
	Dedupe DedupeConfig `yaml:"dedupe"`
	// DatacenterRanges are files listing hosting and cloud networks (one
	// CIDR prefix or address per line, # comments), as the providers
	// publish them: rows from those addresses say "datacenter": true, a
	// bot signal. None by default.
	DatacenterRanges []string `yaml:"datacenter_ranges"`
	// Region says where visitors' regions come from; without it every
	// region is unknown and the strictest profile applies.
	Region RegionConfig `yaml:"region"`
	// Spool configures the durable spool batches are acknowledged from.
	Spool SpoolConfig `yaml:"spool"`
	// Retention says how long data is kept, for sites that do not say.
	Retention DataRetentionConfig `yaml:"retention"`
	// Cluster lets collectors behind one load balancer agree on the daily
	// salt, so that they give a visitor the same visitor_id. Empty: each
	// draws its own.
	Cluster ClusterConfig `yaml:"cluster"`
	// Sinks configures the outputs besides the files: Kafka, S3.
	Sinks SinksConfig `yaml:"sinks"`

	// Assets are the tracker files to serve; nil means sdk.Assets(), the
	// ones built into the binary. Not read from YAML.
	Assets []sdk.Asset `yaml:"-"`
	// Logger receives the collector's logs; nil means slog.Default().
	// Not read from YAML.
	Logger *slog.Logger `yaml:"-"`
	// Now is the clock; nil means time.Now. Not read from YAML.
	Now func() time.Time `yaml:"-"`
}

// SiteConfig is one site.
type SiteConfig struct {
	// ID is the site id the tracker sends (the script tag's data-site):
	// lower-case letters, digits, dots and dashes, like example.com.
	ID string `yaml:"id"`
	// Origins are the origins the site's pages are served from, exactly
	// as browsers send them: scheme://host[:port], like
	// https://www.example.com. Batches from other origins are refused.
	Origins []string `yaml:"origins"`
	// Consent is the site's consent policy; empty means the default.
	Consent ConsentConfig `yaml:"consent"`
	// Goals mark events that reach them: a row's goal is the first goal,
	// in this order, that its event matches.
	Goals []GoalConfig `yaml:"goals"`
	// Secret lets the site's servers send events (sdk/client): a batch
	// with "Authorization: Bearer <secret>" needs no Origin, and may name
	// the visitor's IP address and User-Agent. At least 32 characters;
	// empty takes no server sends. Keep it out of logs and pages.
	Secret string `yaml:"secret"`
	// ExcludeNetworks are CIDR prefixes (203.0.113.0/24, 2001:db8::/32)
	// or single addresses; batches from a client address in one of them,
	// like the site owner's office, are acknowledged and not written.
	ExcludeNetworks []string `yaml:"exclude_networks"`
	// Bots is what happens to events from known bots and crawlers (the
	// User-Agent, by the enrichment library's list): "keep" them as rows
	// with device "bot" (the default), "drop" them (counted in
	// crumbless_events_dropped_total{reason="bot"}), or "flag" every row
	// with a bot score: bot_score and bot_reasons, from the page's
	// behavioural score (the mouse add-on's, per batch) and the list
	// (score 100, reason ua).
	Bots string `yaml:"bots"`
	// RetentionDays is how many days of the site's data are kept: every
	// day, partitions dated more than this many days before today (UTC)
	// are deleted (events, heatmaps, consent records). Absent means
	// retention.days; 0 keeps the site's data forever.
	RetentionDays *int `yaml:"retention_days"`
}

// GoalConfig is one goal of a site: a name, either an event or a path
// pattern, and an optional journey stage.
//
//	goals:
//	  - {name: pricing, path: /pricing, stage: consideration}
//	  - {name: docs, path: /docs/**, stage: awareness}
//	  - {name: signup, event: signup, stage: conversion}
//	  - {name: brochure, event: download}
type GoalConfig struct {
	// Name is written in the row's goal field; at most 64 bytes.
	Name string `yaml:"name"`
	// Event is a custom event's name, or a built-in type (outbound,
	// download, form, leave, vitals, experiment) matching every event of
	// that type.
	Event string `yaml:"event"`
	// Path is a pattern of pageview paths: "*" matches within one segment,
	// a last segment "**" matches any rest. The query is not matched.
	Path string `yaml:"path"`
	// Stage is a journey stage written in the row's stage field, like
	// awareness, consideration or conversion: lower-case letters, digits,
	// _ and -, at most 32.
	Stage string `yaml:"stage"`
}

// FilesConfig configures the output files.
type FilesConfig struct {
	// RollInterval is the longest a file stays open before it is completed
	// and appears under its final name. Default 60s; 5s in demo mode.
	RollInterval time.Duration `yaml:"roll_interval"`
	// FlushInterval is how often buffered rows are written to disk.
	// Default 1s.
	FlushInterval time.Duration `yaml:"flush_interval"`
	// MaxFileBytes is the most uncompressed data one file holds before it
	// is completed; the file on disk is several times smaller.
	// Default 64 MiB.
	MaxFileBytes int64 `yaml:"max_file_bytes"`
	// Format is what event files are written: ndjson (zstd-compressed
	// NDJSON, the default), parquet (Parquet files instead) or both (each
	// file in both formats, under the same name). Consent records stay
	// NDJSON.
	Format string `yaml:"format"`
	// Batching tunes how the spool's records reach the file sink
	// (max_in_flight is always 1 for files).
	Batching BatchingConfig `yaml:"batching"`
}

// LimitsConfig bounds what one request may carry.
type LimitsConfig struct {
	// BodyBytes is the largest request body, compressed or not. Default
	// 64 KiB (wire.MaxBodyBytes).
	BodyBytes int `yaml:"body_bytes"`
	// DecodedBytes is the largest batch once decompressed. Default
	// 512 KiB (wire.MaxDecodedBytes).
	DecodedBytes int `yaml:"decoded_bytes"`
	// NetworkRate is the most batches per second one client network (an
	// IPv4 /24, an IPv6 /48) may send, on average; NetworkBurst how many at
	// once. Past them: 429 with Retry-After. Default 100 and 400; a rate of
	// 0 turns the limit off.
	NetworkRate  *float64 `yaml:"network_rate"`
	NetworkBurst int      `yaml:"network_burst"`
	// SiteRate and SiteBurst limit each site the same way. Default 10000
	// and 20000 (about 200,000 events a second); 0 turns the limit off.
	SiteRate  *float64 `yaml:"site_rate"`
	SiteBurst int      `yaml:"site_burst"`
}

// Default rate limits.
const (
	DefaultNetworkRate  = 100
	DefaultNetworkBurst = 400
	DefaultSiteRate     = 10_000
	DefaultSiteBurst    = 20_000
)

// networkLimit and siteLimit are the limits l sets, with the defaults.
func (l LimitsConfig) networkLimit() ratelimit.Limit {
	return ratelimit.Limit{Rate: rateOr(l.NetworkRate, DefaultNetworkRate), Burst: or(l.NetworkBurst, DefaultNetworkBurst)}
}

func (l LimitsConfig) siteLimit() ratelimit.Limit {
	return ratelimit.Limit{Rate: rateOr(l.SiteRate, DefaultSiteRate), Burst: or(l.SiteBurst, DefaultSiteBurst)}
}

func rateOr(r *float64, def float64) float64 {
	if r == nil {
		return def
	}
	return *r
}

// DedupeConfig configures the seen-set: each event id is remembered, per
// site, for at least Window after its batch was written, and an event that
// comes again within it (a retried batch) is dropped.
type DedupeConfig struct {
	// Window is how long an event id is remembered, at least; at most
	// twice that. Default 10m.
	Window time.Duration `yaml:"window"`
	// MaxEvents bounds memory: the most event ids remembered per window
	// (32 bytes each); past it the oldest are forgotten early. Default
	// 1048576 (32 MiB).
	MaxEvents int `yaml:"max_events"`
}

// Defaults for the zero values of Config.
const (
	DefaultListen           = ":8080"
	DefaultDataDir          = "./data"
	DefaultPagesDir         = "examples/demo-site"
	DefaultRollInterval     = 60 * time.Second
	DefaultDemoRollInterval = 5 * time.Second
	DefaultFlushInterval    = time.Second
	DefaultMaxFileBytes     = 64 << 20
)

// LoadConfig reads a YAML configuration file strictly: unknown keys and
// repeated keys are errors, reported with their line. It does not
// validate the values; Validate (or New) does.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading configuration: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("reading configuration %s:\n%w", path, err)
	}
	return cfg, nil
}

// parseConfig decodes YAML strictly. Its errors show the offending line.
func parseConfig(data []byte) (cfg Config, err error) {
	// go-yaml v1.19.2 panics on some malformed input, such as a bare tag
	// where a list belongs ("origins: !x"); report it instead.
	defer func() {
		if v := recover(); v != nil {
			cfg, err = Config{}, fmt.Errorf("the YAML decoder failed on this file (%v); look for a tag (!...) without a value", v)
		}
	}()
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.Strict()); err != nil {
		return Config{}, errors.New(redactSecrets(yaml.FormatError(err, false, true)))
	}
	return cfg, nil
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	c.Listen = or(c.Listen, DefaultListen)
	c.DataDir = or(c.DataDir, DefaultDataDir)
	if c.Demo {
		c.PagesDir = or(c.PagesDir, DefaultPagesDir)
		c.Files.RollInterval = or(c.Files.RollInterval, DefaultDemoRollInterval)
	}
	c.Files.RollInterval = or(c.Files.RollInterval, DefaultRollInterval)
	c.Files.FlushInterval = or(c.Files.FlushInterval, DefaultFlushInterval)
	c.Files.MaxFileBytes = or(c.Files.MaxFileBytes, DefaultMaxFileBytes)
	c.Limits.BodyBytes = or(c.Limits.BodyBytes, wire.MaxBodyBytes)
	c.Limits.DecodedBytes = or(c.Limits.DecodedBytes, wire.MaxDecodedBytes)
	c.Spool = spoolDefaults(c.Spool, c.DataDir)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// or returns v, or def when v is the zero value.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
