// Command crumbless runs the Crumbless collector.
//
//	crumbless serve [-config FILE] [-listen ADDR] [-data DIR] [-demo] [-pages DIR]
//	crumbless check-config -config FILE
//	crumbless consent verify -data DIR [-site SITE]
//	crumbless heatmap aggregate -data DIR -site SITE -date YYYY-MM-DD [-k 5]
//	crumbless heatmap render -data DIR -site SITE -path /PAGE -from DAY [-to DAY] [-layer click] [-viewport lg] [-screenshot FILE] -o OUT.png
//	crumbless retention [-config FILE] [-data DIR] [-dry-run]
//	crumbless erase -site SITE (-visitor ID | -uid UID) [-config FILE] [-data DIR]
//	crumbless version
//
// serve logs, as text to stderr, one line when it is ready:
//
//	time=… level=INFO msg="listening on http://127.0.0.1:8080" …
//
// (HOST is "localhost" when it listens on every interface), so scripts and
// tests started with -listen 127.0.0.1:0 read the address from the first
// line matching `listening on (http://\S+?)"`. On SIGINT or SIGTERM it stops
// accepting, drains requests in flight, drains the spool into the files,
// completes and renames every open file, and exits 0.
//
// Flags live here only; everything else is package collector.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
