// Package core is the tracker's logic, free of the DOM and of the WebAssembly
// boundary: it reads the record stream of wasm/ABI.md, turns pages and custom
// events into sdk/wire events, queues them and hands whole batches to a send
// function. wasm/cmd/tracker wraps it in the module's exports; tests drive it
// natively at full speed.
//
// It is compiled by TinyGo into a freestanding module, so it imports only
// sdk/wire and the small parts of the standard library that wire uses
// (strconv, unicode/utf8). It must not import fmt, encoding/json, reflect,
// unsafe, syscall/js, net/* or anything under collector/, and it uses no maps
// (a map pulls the runtime's random hash seeding into the module).
//
// Memory is fixed: the module has no heap. Every buffer is an array in the
// Tracker sized from sdk/wire's limits, and code compiled into the module
// appends through internal/buf (which writes within capacity) instead of
// the built-in append, so TinyGo links neither an allocator nor a garbage
// collector (about 1.7 KB brotli of the tag) and the module's memory never
// grows, however long the tab lives. wasm/toolchain/build-tracker.sh fails
// when memory.grow appears in the module; `tinygo build -print-allocs=.`
// shows where an allocation came from.
package core
