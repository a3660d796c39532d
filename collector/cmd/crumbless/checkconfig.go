package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/crumbless/crumbless/collector"
)

// checkConfig reads and validates a configuration file, prints every
// problem on stdout, one a line, and fails if there is any.
func checkConfig(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration `FILE` to check (YAML)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: crumbless check-config -config FILE")
		return exitUsage
	}
	cfg, err := collector.LoadConfig(*path)
	if err != nil {
		fmt.Fprintln(stdout, err)
		return exitFail
	}
	var cerr *collector.ConfigError
	if err := cfg.Validate(); errors.As(err, &cerr) {
		for _, p := range cerr.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", *path, p)
		}
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: OK\n", *path)
	for _, note := range cfg.ExemptionNotes() {
		fmt.Fprintln(stdout, note)
	}
	return exitOK
}
