// Package collector is the composition root of the Crumbless collector: it
// reads and checks the configuration (Config, LoadConfig, Validate), wires
// the parts below it into a Server, and runs the HTTP endpoints:
//
//	POST /e                   event batches (collector/ingest)
//	GET  /c?site=SITE         the site's consent policy and the visitor's region
//	GET  /crumbless.js        the loader, short cache and ETag (collector/assets)
//	GET  /tracker.<hash>.wasm the tracker module, immutable
//	GET  /healthz             200 "ok" while the process runs
//	GET  /readyz              200 "ok" while serving, 503 while shutting down
//	GET  /metrics             Prometheus text
//	GET  /…                   files from the pages directory, when one is set
//
// Programs (cmd/crumbless, examples, end-to-end tests, benchmarks) start a
// collector with New and Serve, and stop it with Shutdown. Every Server
// keeps its own state and metrics, so several can run in one process.
//
// No package under collector/ imports this one.
package collector
