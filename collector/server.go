package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/assets"
	"github.com/crumbless/crumbless/collector/clientip"
	"github.com/crumbless/crumbless/collector/dedupe"
	"github.com/crumbless/crumbless/collector/enrich"
	"github.com/crumbless/crumbless/collector/identity"
	"github.com/crumbless/crumbless/collector/ingest"
	"github.com/crumbless/crumbless/collector/ratelimit"
	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/region"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/site"
	"github.com/crumbless/crumbless/collector/spool"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("collector: server closed")

// Server is a running collector. Create it with New, run it with Serve or
// ListenAndServe, stop it with Shutdown.
type Server struct {
	cfg     Config // with defaults
	log     *slog.Logger
	metrics *metrics.Set
	// latency holds the time requests to /e and /c take, as histograms
	// (crumbless_ingest_duration_seconds, crumbless_policy_duration_seconds).
	latency struct{ ingest, policy *metrics.Histogram }

	http    *fasthttp.Server
	ingest  *ingest.Handler
	assets  *assets.Handler
	pages   fasthttp.RequestHandler // nil when no pages are served
	keyer   *identity.Keyer
	cluster *clusterState // nil without peers (cluster.go)
	sink    *filesink.Sink
	spool   *spool.Spool
	seen    *dedupe.Set // the seen-set, seeded from the spool at start-up
	// relay feeds the event files (sink), the consent records (records)
	// and the raw heatmap rows (heatmaps) from the spool.
	relay    *spooled.Relay
	heatmaps *filesink.Sink
	outputs  []*output // sinks fed from the spool besides the files

	datacenters *enrich.Datacenters
	sites       *site.Registry
	regions     *region.Resolver
	clients     *clientip.Resolver
	records     *record.Writer

	networks *ratelimit.Networks // the client networks' rates, for /e and /forget

	stopPages    chan struct{}
	stopUpkeep   context.CancelFunc // retention and erasures (upkeep.go)
	upkeepDone   chan struct{}
	stopRotation context.CancelFunc
	rotationDone chan struct{}

	mu        sync.Mutex
	listeners []net.Listener
	closed    bool
	addr      atomic.Pointer[net.Addr]
	ready     atomic.Bool
	shutOnce  sync.Once
	shutErr   error
}

// New checks cfg and builds a Server: it loads the tracker files, opens
// the data directory and draws today's salt. It fails with every
// configuration problem (a *ConfigError), or when the tracker is not built
// (sdk.ErrNotBuilt, "tracker not built: run `make dist` …").
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger, metrics: metrics.NewSet()}
	s.latency.ingest = s.metrics.NewHistogram("crumbless_ingest_duration_seconds")
	s.latency.policy = s.metrics.NewHistogram("crumbless_policy_duration_seconds")
	if err := s.build(); err != nil {
		s.release()
		return nil, err
	}
	job, err := s.retentionJob()
	if err != nil {
		s.release()
		return nil, err
	}
	s.http = s.newHTTPServer()
	ctx, cancel := context.WithCancel(context.Background())
	s.stopRotation, s.rotationDone = cancel, make(chan struct{})
	go func() { defer close(s.rotationDone); s.keyer.Run(ctx) }()
	s.startUpkeep(job)
	if s.cluster != nil {
		go s.runCluster(ctx)
	}
	return s, nil
}

// Serve accepts connections on ln until Shutdown, and closes ln. It logs
// "listening on http://HOST:PORT" first, HOST being "localhost" when ln
// listens on every interface. It returns nil after Shutdown, or
// ErrServerClosed if Shutdown came first.
func (s *Server) Serve(ln net.Listener) error {
	ln = &onceCloseListener{Listener: ln}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()
	addr := ln.Addr()
	s.addr.Store(&addr)
	s.log.Info("listening on "+listenURL(addr), "demo", s.cfg.Demo, "data", s.cfg.DataDir,
		"tracker", s.assets.Paths())
	s.ready.Store(true)
	err := s.http.Serve(ln)
	if s.isClosed() {
		return nil // whatever closing the listener made Serve return
	}
	return err
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// onceCloseListener may be closed by Shutdown and by fasthttp: the second
// Close returns the first one's result.
type onceCloseListener struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *onceCloseListener) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}

// ListenAndServe listens on Config.Listen and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ln)
}

// Addr returns the address Serve listens on, or nil before Serve.
func (s *Server) Addr() net.Addr {
	if a := s.addr.Load(); a != nil {
		return *a
	}
	return nil
}

// Shutdown stops accepting connections, waits for requests in flight to
// finish (or ctx to end), drains the spool into the file sink (what ctx
// leaves undrained is replayed at the next start), completes and renames
// every open file, moves the spool's cursor past them, and
// destroys the salts. It is idempotent: later calls return the first
// call's result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutOnce.Do(func() {
		var errs []error
		s.ready.Store(false)
		s.mu.Lock()
		s.closed = true
		for _, ln := range s.listeners { // also those fasthttp has not seen yet
			if err := ln.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing listener: %w", err))
			}
		}
		s.mu.Unlock()
		if err := s.http.ShutdownWithContext(ctx); err != nil {
			errs = append(errs, fmt.Errorf("draining requests: %w", err))
		}
		errs = append(errs, s.drainSpool(ctx))
		errs = append(errs, s.release())
		s.applyErasures() // the rows of the files release completed
		if err := errors.Join(errs...); err != nil {
			s.shutErr = fmt.Errorf("shutting down: %w", err)
		}
	})
	return s.shutErr
}

// release stops what build and New started; safe on a half-built Server.
func (s *Server) release() error {
	if s.stopRotation != nil {
		s.stopRotation()
		<-s.rotationDone
		s.waitCluster()
	}
	if s.stopPages != nil {
		close(s.stopPages)
	}
	if s.stopUpkeep != nil {
		s.stopUpkeep()
		<-s.upkeepDone
	}
	if s.keyer != nil {
		s.keyer.Close()
	}
	errs := s.closeSinkAndSpool()
	errs = append(errs, s.regions.Close())
	return errors.Join(errs...)
}
