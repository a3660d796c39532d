// Package consent is the consent model shared by the browser tracker and the
// collector, so that the page and the edge decide the same way.
//
// It is compiled into the TinyGo WebAssembly tracker: it must import nothing
// but small parts of the standard library (no fmt, encoding/json, reflect or
// net/*), and never anything under collector/.
package consent
