//go:build tinygo

package main

import (
	"unsafe"

	"github.com/crumbless/crumbless/wasm/core"
)

var (
	tracker = core.Tracker{Send: send, Store: store}
	input   [core.MaxFeedBytes]byte
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
	if size > core.MaxFeedBytes {
		return nil
	}
	return unsafe.Pointer(&input)
}

//export crumbless_feed
func crumblessFeed(n int32, now float64) int32 {
	var records []byte
	if n > 0 && n <= core.MaxFeedBytes {
		records = input[:n]
	}
	return tracker.Feed(records, int64(now))
}
