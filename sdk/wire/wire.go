// Package wire is THE wire format between the browser tracker (or a server
// that sends events) and the collector: the batch and event types, their
// limits, and the functions that append and parse them.
//
// A batch is one JSON object, sent as the body of POST /e, optionally
// compressed (gzip or zstd, detected by the collector from the magic bytes):
//
//	{"v":1,"site":"example.com","sent_at":1732380000123,
//	 "tier":"T2","signals":"…","policy":"9f3a…","events":[
//	  {"id":"kq3v…","type":"pageview","ts":1732380000001,"path":"/pricing",
//	   "referrer":"https://search.example/","title":"Pricing",
//	   "viewport":"lg","lang":"en-GB","tz":"Europe/London"},
//	  {"id":"kq3w…","type":"custom","ts":1732380004321,"path":"/pricing",
//	   "name":"signup","props":{"plan":"pro"}}]}
//
// The batch-level consent fields are the page's decision for every event
// in the batch (the tracker starts a new batch when its decision changes):
// tier and flags, the consent signals it decided from (consent.AppendSignals),
// the hash of the site policy it used, and at tier T3 the stable first-party
// id. The collector decides again and lowers, never raises.
//
// Times are milliseconds since the Unix epoch on the sender's clock; the
// collector corrects them by the difference between sent_at and its own clock.
// Every event carries an id that is unique per event and stays the same when
// the batch is retried, so the collector can deduplicate.
//
// The package is compiled into the TinyGo WebAssembly tracker. The encoding
// side imports only unicode/utf8 and strconv; it must not import fmt,
// encoding/json, reflect or net/*. The parsing side (parse.go) is built only
// for the host (build tag !tinygo).
package wire

// Version is the batch format version this package writes. The collector
// accepts Version and nothing else until a Version 2 exists, when it will
// accept both.
const Version = 1

// Kind is an event's type.
type Kind uint8

const (
	KindUnknown Kind = iota
	// KindPageview is a page being shown: at load, and later on SPA navigation.
	KindPageview
	// KindCustom is an event the site sent with crumbless('event', name, props).
	KindCustom
	// KindConsent is a change of the visitor's consent: the collector writes
	// a consent record for it, not an event row.
	KindConsent
	// KindOutbound is a click on a link to another site (URL).
	KindOutbound
	// KindDownload is a click on a link to a file of a download extension (URL).
	KindDownload
	// KindForm is a form submission (Form: its id or name).
	KindForm
	// KindLeave is the page-leave summary (Duration, Engaged, Scroll).
	KindLeave
	// KindVitals carries the page's Core Web Vitals (LCP, INP, CLS, FCP, TTFB).
	KindVitals
	// KindExperiment is an exposure to an experiment's variant (Exp).
	KindExperiment
)

var kindNames = [...]string{"", "pageview", "custom", "consent", "outbound", "download", "form", "leave", "vitals", "experiment"}

// String returns the name used on the wire and in output rows.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return ""
}

// ParseKind returns the Kind named s, or KindUnknown.
func ParseKind(s []byte) Kind {
	for i := 1; i < len(kindNames); i++ {
		if string(s) == kindNames[i] {
			return Kind(i)
		}
	}
	return KindUnknown
}
