//go:build tinygo

package main

import (
	"unsafe"

	"github.com/crumbless/crumbless/wasm/core"
)

// maxKeptInput is the largest input buffer kept between feeds; a larger one
// is dropped after its feed so that the garbage collector can free it.
const maxKeptInput = 64 << 10

var (
	tracker = core.Tracker{Send: send, Store: store}
	input   []byte
)

//go:wasmimport crumbless send
func hostSend(ptr unsafe.Pointer, n, mode uint32)

func send(batch []byte, mode int) {
	hostSend(unsafe.Pointer(unsafe.SliceData(batch)), uint32(len(batch)), uint32(mode))
}

//go:wasmimport crumbless store
func hostStore(ptr unsafe.Pointer, n uint32)

func store(id []byte) {
	hostStore(unsafe.Pointer(unsafe.SliceData(id)), uint32(len(id)))
}

//export crumbless_abi
func crumblessABI() int32 { return core.ABIVersion }

//export crumbless_buffer
func crumblessBuffer(size int32) unsafe.Pointer {
	if size < 1 {
		size = 1
	}
	if cap(input) < int(size) {
		input = make([]byte, size)
	}
	return unsafe.Pointer(unsafe.SliceData(input))
}

//export crumbless_feed
func crumblessFeed(n int32, now float64) int32 {
	var records []byte
	if n > 0 && int(n) <= cap(input) {
		records = input[:n]
	}
	next := tracker.Feed(records, int64(now))
	if cap(input) > maxKeptInput {
		input = nil
	}
	return next
}
