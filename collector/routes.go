package collector

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/identity"
)

// route dispatches a request. It is the fasthttp handler.
func (s *Server) route(ctx *fasthttp.RequestCtx) {
	defer s.recoverPanic(ctx)
	path := ctx.Path()
	switch string(path) {
	case "/e":
		start := time.Now()
		s.ingest.Handle(ctx)
		s.latency.ingest.UpdateDuration(start)
	case "/c":
		start := time.Now()
		s.policy(ctx)
		s.latency.policy.UpdateDuration(start)
	case "/forget":
		s.forget(ctx)
	case "/healthz":
		ctx.SetBodyString("ok")
	case "/readyz":
		s.readyz(ctx)
	case identity.SaltPath:
		s.clusterSalt(ctx) // 404 without a cluster
	case "/metrics":
		ctx.SetContentType("text/plain; version=0.0.4; charset=utf-8")
		s.metrics.WritePrometheus(ctx)
		metrics.WriteProcessMetrics(ctx)
	case "/report", "/report.png":
		s.report(ctx, path) // demo mode only; static otherwise
	default:
		s.static(ctx, path)
	}
}

func (s *Server) static(ctx *fasthttp.RequestCtx, path []byte) {
	switch {
	case s.assets.Serve(ctx, path):
	case s.pages != nil && (ctx.IsGet() || ctx.IsHead()):
		s.pages(ctx)
	default:
		notFound(ctx)
	}
}

func (s *Server) readyz(ctx *fasthttp.RequestCtx) {
	if !s.ready.Load() {
		ctx.Error("shutting down", fasthttp.StatusServiceUnavailable)
		return
	}
	if s.clusterJoining() {
		ctx.Error("joining the cluster", fasthttp.StatusServiceUnavailable)
		return
	}
	if s.spoolFull() {
		ctx.Error("spool full", fasthttp.StatusServiceUnavailable)
		return
	}
	ctx.SetBodyString("ok")
}

func notFound(ctx *fasthttp.RequestCtx) {
	ctx.Error("not found", fasthttp.StatusNotFound)
}

// readError answers a request fasthttp could not read. For /e, ingest
// answers, so that an oversized batch is refused with its reason.
func (s *Server) readError(ctx *fasthttp.RequestCtx, err error) {
	if string(ctx.Path()) == "/e" {
		s.ingest.HandleReadError(ctx, err)
		return
	}
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		ctx.Error("request body too large", fasthttp.StatusRequestEntityTooLarge)
		return
	}
	ctx.Error("cannot read request", fasthttp.StatusBadRequest)
}

// recoverPanic turns a panic in a handler into a 500 and a log line, so a
// bug hit by one request does not stop the collector.
func (s *Server) recoverPanic(ctx *fasthttp.RequestCtx) {
	if v := recover(); v != nil {
		s.log.Error("handler panicked", "path", string(ctx.Path()), "panic", fmt.Sprint(v))
		ctx.ResetBody()
		ctx.Error("internal error", fasthttp.StatusInternalServerError)
	}
}

// fasthttpLogger sends fasthttp's own log lines to slog, with network
// addresses removed: the collector never logs a client's IP.
type fasthttpLogger struct{ log *slog.Logger }

var addrPattern = regexp.MustCompile(`\[[0-9a-fA-F:.%a-z]*\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\b[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}\b`)

func (l fasthttpLogger) Printf(format string, args ...any) {
	msg := addrPattern.ReplaceAllString(fmt.Sprintf(format, args...), "<addr>")
	l.log.Warn(msg, "component", "http")
}
