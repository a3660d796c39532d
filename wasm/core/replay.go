//go:build !tinygo || crumbless_replay

package core

// replay is whether the tracker takes RecordSignals, which replaces every
// consent signal it holds. The loader never sends it: it exists for the
// tests that replay recorded or generated signals through the module
// (wasm/cmd/tracker builds a replay module for them with the build tag
// crumbless_replay). The shipped module leaves it out.
const replay = true
