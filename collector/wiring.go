package collector

import (
	"errors"
	"fmt"
	"os"
	"time"

	// Pinned at v1.73.0: v1.74.0 and later need a module the proxy refuses.
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/assets"
	"github.com/crumbless/crumbless/collector/clientip"
	"github.com/crumbless/crumbless/collector/dedupe"
	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/collector/heatmap"
	"github.com/crumbless/crumbless/collector/identity"
	"github.com/crumbless/crumbless/collector/ingest"
	"github.com/crumbless/crumbless/collector/ratelimit"
	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/region"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/sdk"
)

// HTTP settings. Batches are small; a slow client must not hold a worker.
// Request headers may be large: a first-party collector gets the site's
// cookies with every beacon, and fasthttp's 4 KiB default would refuse
// some of those requests.
const (
	readTimeout    = 10 * time.Second
	writeTimeout   = 10 * time.Second
	idleTimeout    = 60 * time.Second
	readBufferSize = 16 << 10
)

// builtinAssets returns the tracker files built into the binary; tests
// replace it to see a collector start without them.
var builtinAssets = sdk.Assets

// build creates the parts; on error, release undoes what was done.
func (s *Server) build() error {
	list := s.cfg.Assets
	if list == nil {
		var err error
		if list, err = builtinAssets(); err != nil {
			return fmt.Errorf("loading the tracker: %w", err)
		}
	}
	var err error
	if s.assets, err = assets.New(list); err != nil {
		return err
	}
	siteCfgs, err := siteList(s.cfg.Sites)
	if err != nil {
		return fmt.Errorf("loading sites: %w", err)
	}
	sites, err := site.NewRegistry(siteCfgs, s.cfg.Demo)
	if err != nil {
		return fmt.Errorf("loading sites: %w", err)
	}
	sites.SetCatchAll(siteConsent(ConsentConfig{}))
	if s.keyer, err = identity.New(identity.Config{Now: s.cfg.Now}); err != nil {
		return fmt.Errorf("starting identity: %w", err)
	}
	if err := s.buildCluster(); err != nil {
		return err
	}
	if s.sink, err = filesink.Open(s.fileSinkConfig()); err != nil {
		return err
	}
	if s.records, err = record.Open(s.recordConfig()); err != nil {
		return err
	}
	if s.heatmaps, err = filesink.Open(s.heatmapSinkConfig()); err != nil {
		return err
	}
	if s.outputs, err = s.openOutputs(); err != nil {
		return err
	}
	if s.seen, err = dedupe.New(s.dedupeConfig()); err != nil {
		return err
	}
	if err := s.openSpool(); err != nil {
		return err
	}
	if s.datacenters, err = enrich.LoadDatacenters(s.cfg.DatacenterRanges); err != nil {
		return err
	}
	if s.datacenters.Len() > 0 {
		s.log.Info("datacenter ranges loaded", "prefixes", s.datacenters.Len(), "files", len(s.cfg.DatacenterRanges))
	}
	if s.regions, err = region.New(region.Config(s.cfg.Region)); err != nil {
		return err
	}
	if s.clients, err = clientip.New(s.cfg.TrustedProxies); err != nil {
		return err
	}
	s.sites = sites
	s.networks = ratelimit.NewNetworks(s.cfg.Limits.networkLimit())
	icfg := s.ingestConfig(sites)
	icfg.Seen = s.seen
	if s.ingest, err = ingest.New(icfg); err != nil {
		return err
	}
	s.pages = s.pagesHandler()
	return nil
}

func siteList(cfg []SiteConfig) ([]site.Site, error) {
	list := make([]site.Site, len(cfg))
	var errs []error
	for i, c := range cfg {
		list[i] = site.Site{ID: c.ID, Origins: c.Origins, Consent: siteConsent(c.Consent), Secret: []byte(c.Secret)}
		errs = append(errs, siteEdge(&list[i], c))
	}
	return list, errors.Join(errs...)
}

func (s *Server) fileSinkConfig() filesink.Config {
	return filesink.Config{
		Dir:           s.cfg.DataDir,
		RollInterval:  s.cfg.Files.RollInterval,
		FlushInterval: s.cfg.Files.FlushInterval,
		MaxFileBytes:  s.cfg.Files.MaxFileBytes,
		Format:        filesink.Format(s.cfg.Files.Format),
		SchemaVersion: row.SchemaVersion,
		Spooled:       true,
		Now:           s.cfg.Now,
		Logger:        s.log,
		Metrics:       s.metrics,
	}
}

// heatmapSinkConfig is the raw heatmap rows' (collector/heatmap): the
// event files' settings below DATA/heatmaps, its counters kept apart (they
// have the event files' names).
func (s *Server) heatmapSinkConfig() filesink.Config {
	cfg := heatmap.RawSinkConfig(s.fileSinkConfig())
	cfg.Format, cfg.Metrics = filesink.FormatNDJSON, nil
	return cfg
}

func (s *Server) recordConfig() record.Config {
	return record.Config{
		Dir:           s.cfg.DataDir,
		RollInterval:  s.cfg.Files.RollInterval,
		FlushInterval: s.cfg.Files.FlushInterval,
		Now:           s.cfg.Now,
		Logger:        s.log,
		Metrics:       s.metrics,
		Spooled:       true,
	}
}

func (s *Server) dedupeConfig() dedupe.Config {
	return dedupe.Config{Window: s.cfg.Dedupe.Window, MaxEvents: s.cfg.Dedupe.MaxEvents, Metrics: s.metrics}
}

func (s *Server) ingestConfig(sites *site.Registry) ingest.Config {
	return ingest.Config{
		Sites:              sites,
		Regions:            s.regions,
		ClientIP:           s.clients,
		Networks:           s.networks,
		SiteRates:          siteRates(s.cfg.Sites, s.cfg.Limits.siteLimit()),
		Records:            record.NewSpooler(spooled.NewWriter(s.spool), s.cfg.Now),
		Sink:               spooled.NewWriter(s.spool),
		Heatmaps:           spooled.NewWriter(s.spool),
		Keyer:              s.keyer,
		Agents:             enrich.NewClassifier(0),
		Datacenters:        s.datacenters,
		MaxBodyBytes:       s.cfg.Limits.BodyBytes,
		MaxDecodedBytes:    s.cfg.Limits.DecodedBytes,
		AllowMissingOrigin: s.cfg.Demo,
		Now:                s.cfg.Now,
		Logger:             s.log,
		Metrics:            s.metrics,
	}
}

func (s *Server) newHTTPServer() *fasthttp.Server {
	return &fasthttp.Server{
		Handler:                      s.route,
		ErrorHandler:                 s.readError,
		Name:                         "crumbless",
		MaxRequestBodySize:           s.cfg.Limits.BodyBytes,
		ReadBufferSize:               readBufferSize,
		ReadTimeout:                  readTimeout,
		WriteTimeout:                 writeTimeout,
		IdleTimeout:                  idleTimeout,
		CloseOnShutdown:              true,
		DisablePreParseMultipartForm: true,
		Logger:                       fasthttpLogger{s.log},
	}
}

// pagesHandler serves PagesDir, or returns nil when there is none.
func (s *Server) pagesHandler() fasthttp.RequestHandler {
	dir := s.cfg.PagesDir
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		s.log.Warn("pages directory not found; serving the API only", "dir", dir)
		return nil
	}
	s.stopPages = make(chan struct{})
	fs := &fasthttp.FS{
		Root:         dir,
		IndexNames:   []string{"index.html"},
		CleanStop:    s.stopPages,
		PathNotFound: notFound,
	}
	return fs.NewRequestHandler()
}

// siteRates gives each configured site its own rate limiter (nil: no limit).
func siteRates(sites []SiteConfig, l ratelimit.Limit) map[string]*ratelimit.Site {
	m := make(map[string]*ratelimit.Site, len(sites))
	for _, c := range sites {
		m[c.ID] = ratelimit.NewSite(l)
	}
	return m
}
