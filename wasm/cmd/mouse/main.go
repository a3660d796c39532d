// Command mouse is the mouse add-on's freestanding WebAssembly module
// (sdk/dist/mouse.wasm), which sdk/js/mouse.js instantiates on pages whose
// tag has data-mouse: heatmap counts, frustration signals and the
// behavioural bot score of package mouse, behind two exports and no
// import. The script observes the page and calls mouse_feed with plain
// numbers; the module writes the events that are due, which the script
// hands to the tracker's queue (crumbless('event', ...)), so that consent,
// batching and retries apply to them unchanged.
//
// Exports:
//
//	memory                 the module's linear memory (it never grows: no heap)
//	mouse_io() -> i32      the buffer both ways: at 0, a selector's bytes (at
//	                       most 256); at 256, pointer records (at most 64 of 12
//	                       i32); at 3328, the events mouse_feed wrote
//	mouse_feed(kind, now, a, b, c, d: i32) -> i32
//
// mouse_feed takes one observation at now (ms: performance.now(), the
// clock of the events' timeStamp, so a tab open for 24 days wraps) and
// returns the length of the events it wrote at 3328 (the lines of
// mouse.AppendEvents), or for kind 0 a selector's id. Kinds and arguments:
//
//	0 element   the selector's length at 0: returns its id
//	1 page      a page id, viewport width, document width, document height
//	2 leave     (the page is hidden or unloaded)
//	3 flush     a 1 to include the heatmap and the bot score
//	4 pointer   the number of records at 256, taken in order (writes nothing)
//	6 scroll    scrollY, the deepest point seen in percent of the document's height
//	7 activity  (a DOM mutation)
//	8 select    (the selection changed and is not empty)
//	9 error     (a JavaScript error)
//	10 resize   document width, height
//
// A pointer record is a movement sample or a click, 12 numbers: its time
// (the event's timeStamp), pageX, pageY, clientX, clientY, the anchoring
// element's id (0: none) and its box x, y, w, h in the document, flags (1
// a mouse made it, 2 a click, 4 on a non-interactive element, 8 the first
// move of a slice after a gap, 16 the last move of its slice) and a
// click's hold time (-1 unknown) or, for a move with flag 8, the ms since
// its slice began. The script observes movement in slices (16 moves from
// some of its 2-s ticks: mouse.Slice) and writes one record per mousemove
// of a slice (browsers dispatch it once a frame; mouse.Tab drops a sample
// less than 8 ms after the last) without calling the module, at the
// slice's end or before any other observation, and hands them over with
// kind 4 when 64 wait, at a click and before any other observation, so
// that the module sees everything in time order.
//
// Build it with wasm/toolchain/build-mouse.sh (`make dist`). Like
// wasm/cmd/tracker, the glue is built only by TinyGo; built by the host Go
// toolchain this package is an empty program.
package main

func main() {}
