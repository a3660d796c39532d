package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/crumbless/crumbless/collector/erasure"
)

const eraseUsage = "usage: crumbless erase -site SITE (-visitor ID | -uid UID) [-config FILE] [-data DIR]\n"

// eraseCmd removes every row of one visitor from a site's complete files,
// and appends the erasure's record to DATA/erasures/erasures.ndjson.
// Files a running collector is still writing are left (and counted): run
// it again after their hour, or let serve apply a request (POST /forget).
func eraseCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("erase", flag.ContinueOnError)
	fs.SetOutput(stderr)
	df := addDataFlags(fs)
	site := fs.String("site", "", "the `SITE` id")
	visitor := fs.String("visitor", "", "the visitor's visitor_id (16 hex digits, as in the rows)")
	uid := fs.String("uid", "", "the stable first-party id (uid) of T3 rows")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *site == "" || (*visitor == "") == (*uid == "") {
		fmt.Fprint(stderr, eraseUsage)
		return exitUsage
	}
	subject := erasure.Subject{Kind: erasure.KindUID, ID: *uid}
	if *visitor != "" {
		subject = erasure.Subject{Kind: erasure.KindVisitor, ID: strings.ToLower(*visitor)}
	}
	if err := subject.Validate(); err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitUsage
	}
	cfg, ok := df.load(stderr)
	if !ok {
		return exitFail
	}
	res, err := erasure.Erase(erasure.Config{Dir: cfg.DataDir,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}, *site, subject)
	for _, f := range res.Files {
		fmt.Fprintln(stdout, "rewrote", f)
	}
	fmt.Fprintf(stdout, "removed %d rows (%d from Parquet files) from %d files\n", res.Rows+res.ParquetRows, res.ParquetRows, len(res.Files))
	if res.Deferred > 0 {
		fmt.Fprintf(stdout, "left %d files of partitions a collector is still writing; run again after their hour ends\n", res.Deferred)
	}
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	return exitOK
}
