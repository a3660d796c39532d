// Command faults measures delivery under faults: scripted sessions in
// headless Chromium (reloads, tab closes, back/forward-cache navigations,
// offline periods, SPA navigations, custom events, outbound clicks) against
// the collector built from this repository, behind a fault proxy that
// answers 503 with Retry-After, drops connections, or loses the answer
// after the collector took the batch. Everything listens on 127.0.0.1.
//
//	go run ./bench/cmd/faults -sessions 200 -parallel 12
//
// It prints the figures as Markdown and exits 1 when fewer than 99 % of
// the produced events are in the files or an event_id appears twice.
// What "produced" means: bench/internal/faults.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/crumbless/crumbless/bench/internal/faults"
	"github.com/crumbless/crumbless/internal/rig"
)

func main() {
	cfg := faults.Config{}
	flag.IntVar(&cfg.Sessions, "sessions", 200, "scripted sessions")
	flag.IntVar(&cfg.Parallel, "parallel", 12, "sessions at once (each in a window of one browser)")
	flag.Int64Var(&cfg.Seed, "seed", 1, "seed of the scripts")
	flag.DurationVar(&cfg.Timeout, "timeout", 10*time.Minute, "bound on the whole run")
	flag.StringVar(&cfg.Dump, "dump", "", "directory to write every attempt and row to")
	flag.BoolVar(&cfg.SharedWindow, "shared-window", false, "open sessions as tabs of one window (they hide each other) instead of a window each")
	verbose := flag.Bool("v", false, "log each session")
	flag.Parse()
	path, err := rig.Chromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(2)
	}
	cfg.Chromium = path
	if *verbose {
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	}
	r, err := faults.Run(context.Background(), cfg)
	if r == nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(2)
	}
	fmt.Print(r.Markdown())
	for i, m := range r.Missing {
		if i == 40 {
			fmt.Printf("… %d more missing\n", len(r.Missing)-i)
			break
		}
		fmt.Println("missing:", m)
	}
	for _, x := range r.Extra {
		fmt.Println("extra:", x)
	}
	for _, e := range r.SessionErrors {
		fmt.Println("session error:", e)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(2)
	}
	if r.Percent() < 99 || r.DuplicateIDs > 0 {
		os.Exit(1)
	}
}
