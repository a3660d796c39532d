package collector

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/identity"
)

// Cluster timing. A node reports ready once it has joined: a peer answered,
// or joinTimeout passed. It reconciles with its peers every syncEvery, and
// agrees on tomorrow's salt from preDraw before midnight UTC.
const (
	joinRetry = time.Second
	syncEvery = 30 * time.Second
	preDraw   = time.Hour
)

// joinTimeout is a variable so that tests can shorten it.
var joinTimeout = 10 * time.Second

// clusterState is the collector's side of salt sharing: the loop, its
// logs and its metrics (collector/identity does neither).
type clusterState struct {
	c       *identity.Cluster
	synced  atomic.Bool
	errs    *metrics.Counter
	adopted *metrics.Counter
	refused *metrics.Counter
	done    chan struct{}
}

// buildCluster creates the cluster when peers are configured.
func (s *Server) buildCluster() error {
	cfg := s.cfg.Cluster
	if len(cfg.Peers) == 0 {
		return nil
	}
	key := []byte(os.Getenv(cfg.keyEnv()))
	defer clear(key)
	c, err := identity.NewCluster(identity.ClusterConfig{Keyer: s.keyer, Peers: cfg.Peers, Key: key, PreDraw: preDraw})
	if err != nil {
		return fmt.Errorf("starting the cluster (key from %s): %w", cfg.keyEnv(), err)
	}
	cs := &clusterState{c: c, done: make(chan struct{})}
	cs.errs = s.metrics.GetOrCreateCounter("crumbless_cluster_exchange_errors_total")
	cs.adopted = s.metrics.GetOrCreateCounter("crumbless_cluster_salts_adopted_total")
	cs.refused = s.metrics.GetOrCreateCounter("crumbless_cluster_requests_refused_total")
	s.metrics.NewGauge("crumbless_cluster_salt_synced", func() float64 {
		if cs.synced.Load() {
			return 1
		}
		return 0
	})
	s.cluster = cs
	return nil
}

// runCluster joins the peers, then reconciles with them until ctx ends.
func (s *Server) runCluster(ctx context.Context) {
	cs := s.cluster
	defer close(cs.done)
	jctx, cancel := context.WithTimeout(ctx, joinTimeout)
	r := cs.c.Join(jctx, joinRetry)
	cancel()
	s.clusterRound(r, true)
	t := time.NewTicker(syncEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.clusterRound(cs.c.Sync(ctx), false)
		}
	}
}

// clusterRound counts a round and logs when the node's agreement with its
// peers changes (and after joining).
func (s *Server) clusterRound(r identity.Round, joined bool) {
	cs := s.cluster
	cs.errs.Add(len(r.Errors))
	cs.adopted.Add(r.Adopted)
	was := cs.synced.Swap(r.Agreed)
	switch {
	case r.Agreed && (joined || !was):
		s.log.Info("cluster: salt agreed with the peers", "peers_answering", r.Answered)
	case !r.Agreed && (joined || was):
		args := []any{"peers_answering", r.Answered, "failures", len(r.Errors)}
		if len(r.Errors) > 0 {
			args = append(args, "first_failure", r.Errors[0].Error())
		}
		s.log.Warn("cluster: no agreement with the peers; visitor ids may differ between nodes until there is", args...)
	}
}

// waitCluster waits for runCluster to return once the context is done.
func (s *Server) waitCluster() {
	if s.cluster != nil {
		<-s.cluster.done
	}
}

// clusterJoining reports whether the node is still joining its peers: it
// is not ready yet.
func (s *Server) clusterJoining() bool { return s.cluster != nil && !s.cluster.c.Joined() }

// clusterSalt answers a peer's salt request (identity.SaltPath); without a
// cluster the path does not exist. It is not rate-limited: a peer asks a
// few times a minute, and every answer is authenticated first.
func (s *Server) clusterSalt(ctx *fasthttp.RequestCtx) {
	if s.cluster == nil {
		notFound(ctx)
		return
	}
	status, body, err := s.cluster.c.Answer(identity.Request{
		Method: string(ctx.Method()),
		Path:   string(ctx.Path()),
		Day:    string(ctx.QueryArgs().Peek("day")),
		Time:   string(ctx.Request.Header.Peek("X-Crumbless-Time")),
		Nonce:  string(ctx.Request.Header.Peek("X-Crumbless-Nonce")),
		Auth:   string(ctx.Request.Header.Peek("Authorization")),
	})
	ctx.Response.Header.Set("Cache-Control", "no-store")
	if status != fasthttp.StatusOK {
		if status == fasthttp.StatusForbidden {
			s.cluster.refused.Inc()
		}
		ctx.Error(err.Error(), status)
		return
	}
	ctx.SetContentType("application/octet-stream")
	ctx.SetBody(body)
}
