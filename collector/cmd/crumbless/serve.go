package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/crumbless/crumbless/collector"
	"github.com/crumbless/crumbless/sdk"
)

// drainTimeout bounds how long a shutdown waits for requests in flight.
const drainTimeout = 15 * time.Second

// testAssets, when set by a test, replaces the tracker built into the
// binary.
var testAssets []sdk.Asset

// serve runs the collector until SIGINT, SIGTERM or ctx ends.
func serve(ctx context.Context, args []string, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, profile, code := serveConfig(args, stderr)
	if code != exitOK {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger, cfg.Assets = log, testAssets
	if profile != "" {
		stopProfiling, err := serveProfiles(profile, log)
		if err != nil {
			log.Error(err.Error())
			return exitFail
		}
		defer stopProfiling()
	}
	srv, err := collector.New(cfg)
	if err != nil {
		log.Error("cannot start: " + err.Error())
		return exitFail
	}
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe() }()
	select {
	case err := <-served: // could not listen
		log.Error(err.Error())
		_ = srv.Shutdown(context.Background())
		return exitFail
	case <-ctx.Done():
		log.Info("shutting down: draining requests and completing files")
	}
	return shutdown(srv, served, log)
}

func shutdown(srv *collector.Server, served <-chan error, log *slog.Logger) int {
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if serr := <-served; serr != nil && err == nil {
		err = serr
	}
	if err != nil {
		log.Error(err.Error())
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}

// serveConfig reads -config, if given, and lets the other flags override
// it: a flag left out keeps the file's value (or the default). profile is
// -pprof's address, or empty.
func serveConfig(args []string, stderr io.Writer) (cfg collector.Config, profile string, code int) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration `FILE` (YAML); flags override it")
	listen := fs.String("listen", collector.DefaultListen, "`ADDR`ess to listen on, host:port")
	data := fs.String("data", collector.DefaultDataDir, "`DIR`ectory for output files")
	demo := fs.Bool("demo", false, "demo mode: any site, from http://localhost:* and http://127.0.0.1:*")
	pages := fs.String("pages", collector.DefaultPagesDir, "`DIR`ectory of pages to serve at / (used in demo mode unless set)")
	pprof := fs.String("pprof", "", "serve Go's profiling endpoints on `ADDR`ess (keep it private, e.g. 127.0.0.1:6060)")
	if err := fs.Parse(args); err != nil {
		return cfg, "", exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return cfg, "", exitUsage
	}
	if *path != "" {
		var err error
		if cfg, err = collector.LoadConfig(*path); err != nil {
			fmt.Fprintln(stderr, err)
			return cfg, "", exitFail
		}
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "listen":
			cfg.Listen = *listen
		case "data":
			cfg.DataDir = *data
		case "demo":
			cfg.Demo = *demo
		case "pages":
			cfg.PagesDir = *pages
		}
	})
	return cfg, *pprof, exitOK
}
