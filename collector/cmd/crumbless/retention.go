package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/crumbless/crumbless/collector/retention"
)

const retentionUsage = "usage: crumbless retention [-config FILE] [-data DIR] [-dry-run]\n"

// retentionCmd deletes, once, the partitions older than each site's
// retention (sites[].retention_days, else retention.days), as serve does
// every day, and lists them on stdout.
func retentionCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	fs.SetOutput(stderr)
	df := addDataFlags(fs)
	dry := fs.Bool("dry-run", false, "list what would be deleted, delete nothing")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, retentionUsage)
		return exitUsage
	}
	cfg, ok := df.load(stderr)
	if !ok {
		return exitFail
	}
	sites, def := cfg.RetentionDays()
	job, err := retention.New(retention.Config{Dir: cfg.DataDir, Days: def, Sites: sites, DryRun: *dry,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	res, err := job.Run()
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	for _, p := range res.Partitions {
		fmt.Fprintf(stdout, "%s %s\n", verb, p)
	}
	fmt.Fprintf(stdout, "%s %d partitions, %d files, %d bytes\n", verb, len(res.Partitions), res.Files, res.Bytes)
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	return exitOK
}
