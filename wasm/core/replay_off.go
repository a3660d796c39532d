//go:build tinygo && !crumbless_replay

package core

// replay is false in the shipped module: see replay.go.
const replay = false
