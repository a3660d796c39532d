package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/crumbless/crumbless/collector/record"
)

// consentCmd runs `crumbless consent verify -data DIR [-site SITE]`: it
// checks every site's consent-record hash chain and prints the first
// broken link (file, line, expected and found hash), failing if any.
func consentCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: crumbless consent verify -data DIR [-site SITE]")
		return exitUsage
	}
	fs := flag.NewFlagSet("consent verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "the data `DIR`ectory (records are under DIR/consent)")
	site := fs.String("site", "", "check only this `SITE`")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	results, err := record.Verify(*data, *site)
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	return report(stdout, results, *site)
}

func report(w io.Writer, results []record.Result, site string) int {
	if len(results) == 0 || site != "" && results[0].Files == 0 {
		fmt.Fprintln(w, "no consent records found")
	}
	code := exitOK
	for _, r := range results {
		if b := r.Break; b != nil {
			fmt.Fprintf(w, "site %s: BROKEN at %s line %d: %s\n  expected %s\n  found    %s\n",
				r.Site, b.File, b.Line, b.Problem, b.Expected, b.Found)
			code = exitFail
			continue
		}
		fmt.Fprintf(w, "site %s: ok, %d records in %d files\n", r.Site, r.Records, r.Files)
	}
	return code
}
