// Package faults holds the collector's fault tests, run against the real
// binary in separate processes: kill -9 under load then a restart, a spent
// spool budget, and SIGTERM under load. In each, every batch the collector
// acknowledged (2xx) must be in the output files, each event exactly once.
//
// It has no code of its own; the tests build collector/cmd/crumbless.
package faults
