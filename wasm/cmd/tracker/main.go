// Command tracker is the freestanding WebAssembly module that the loader
// (sdk/js/loader.js) instantiates: the exports and the two imports of
// wasm/ABI.md around wasm/core, and nothing else.
//
// Build it with wasm/toolchain/build-tracker.sh, which runs TinyGo with the
// custom target in wasm/toolchain and then binaryen; `make dist` writes the
// result to sdk/dist/tracker.wasm. The glue is in glue.go, built only by
// TinyGo; built by the host Go toolchain this package is an empty program,
// so that go vet and the tests of the shipped module (which read
// sdk/dist/tracker.wasm with wazero) work without TinyGo.
package main

func main() {}
