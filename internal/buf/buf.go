// Package buf appends bytes to a slice, as the built-in append does, in
// code that is also compiled into the tracker module.
//
// The tracker module has no heap: every buffer it writes is a fixed array
// sized from sdk/wire's limits, so that TinyGo links no allocator and no
// garbage collector (wasm/ABI.md, "Memory"). Built by TinyGo, these
// functions write within the slice's capacity and drop what does not fit,
// setting Overflow; the caller that owns the buffer checks and clears it.
// Built by the host Go toolchain they are the built-in append and never
// overflow.
package buf
