// Command mouse is the mouse add-on's freestanding WebAssembly module
// (sdk/dist/mouse.wasm), which sdk/js/mouse.js instantiates on pages whose
// tag has data-mouse: heatmap counts, frustration signals and the
// behavioural bot score of package mouse, behind three exports and no
// import. The script observes the page and calls mouse_feed with plain
// numbers; the module writes the events that are due, which the script
// hands to the tracker's queue (crumbless('event', ...)), so that consent,
// batching and retries apply to them unchanged.
//
// Exports:
//
//	memory                 the module's linear memory (it never grows: no heap)
//	mouse_in() -> i32      the input buffer: a selector's bytes, at most 256
//	mouse_out() -> i32     the output buffer: the events mouse_feed wrote
//	mouse_feed(kind: i32, now: f64, a…l: i32) -> i32
//
// mouse_feed takes one observation at now (ms since the epoch) and returns
// the length of the events it wrote to the output buffer (the lines of
// mouse.AppendEvents), or for kind 11 a selector's id. Kinds and
// arguments:
//
//	1 page      a page id, viewport width, document width, document height
//	2 leave     (the page is hidden or unloaded)
//	3 flush     a 1 to include the heatmap and the bot score
//	4 move      pageX, pageY, clientX, clientY, element id, box x, y, w, h, 1 for a mouse
//	5 click     as move, then 1 for a non-interactive element, the hold time (-1 unknown)
//	6 scroll    scrollY, the deepest point seen in percent of the document's height
//	7 activity  (a DOM mutation)
//	8 select    (the selection changed and is not empty)
//	9 error     (a JavaScript error)
//	10 resize   (unused), viewport width (unused), document width, height
//	11 element  the selector's length in the input buffer: returns its id
//
// Build it with wasm/toolchain/build-mouse.sh (`make dist`). Like
// wasm/cmd/tracker, the glue is built only by TinyGo; built by the host Go
// toolchain this package is an empty program.
package main

func main() {}
