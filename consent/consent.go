// Package consent is the consent model shared by the browser tracker and the
// collector, so that the page and the edge decide the same way.
//
// Decide (decide.go) is the one decision function; Lower clamps. Region
// profiles are in regions.go, reason codes in reasons.go, the compact
// encodings shared by the page and the collector in encode.go and
// policyenc.go, and the mappings of external signals in gcm.go (Google
// Consent Mode), tcf.go (IAB TCF and GPP US, after decoding by consent/tcf
// and consent/gpp) and gpc.go (Sec-GPC and DNT headers). consenttest
// generates cases for property and equivalence tests.
//
// It is compiled into the TinyGo WebAssembly tracker: it must import nothing
// but small parts of the standard library (strconv, unicode/utf8, hash/fnv,
// errors; no fmt, encoding/json, reflect, sort, time or net/*), never
// anything under collector/, and use no maps (TinyGo's maps need a random
// source the module may not have) and no goroutines. imports_test.go checks.
package consent
