package main

import (
	"context"
	"fmt"
	"io"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `usage: crumbless <command> [flags]

commands:
  serve          run the collector (crumbless serve -h for its flags)
  check-config   check a configuration file and list every problem
  consent verify check the consent records' hash chains (-data DIR [-site SITE])
  heatmap        aggregate a day of heatmap rows, or render a page's heatmap as PNG
                 (crumbless heatmap for the flags)
  retention      delete the partitions older than each site's retention, once
                 ([-config FILE] [-data DIR] [-dry-run]; serve does it daily)
  erase          remove one visitor's rows from a site's files
                 (-site SITE (-visitor ID | -uid UID) [-config FILE] [-data DIR])
  version        print the version
`

// run runs the command line args and returns the exit code. It is main
// without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "check-config":
		return checkConfig(args[1:], stdout, stderr)
	case "consent":
		return consentCmd(args[1:], stdout, stderr)
	case "heatmap":
		return heatmapCmd(args[1:], stdout, stderr)
	case "retention":
		return retentionCmd(args[1:], stdout, stderr)
	case "erase":
		return eraseCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "crumbless: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
