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
// Memory is fixed or reused: the queue and the batch are two byte slices that
// are reset, not reallocated, so a long-lived tab reaches a steady size.
package core
