package core

// ABIVersion is the version of the contract in wasm/ABI.md that this package
// and the module built from it implement. The module returns it from
// crumbless_abi.
const ABIVersion = 3

// Record kinds (loader → module), as wasm/ABI.md numbers them.
const (
	RecordInit    = 1  // site, seed, then setting name, value pairs
	RecordPage    = 2  // href, referrer, title, viewport width, language, time zone, how, status, content id, group, origin
	RecordEvent   = 3  // name, then key, value pairs
	RecordHide    = 4  // no fields: flush everything now with SendBeacon
	RecordPolicy  = 5  // the body of GET /c: policy line, region line
	RecordNav     = 6  // navigator.globalPrivacyControl, navigator.doNotTrack, navigator.webdriver ("1" or "")
	RecordTCF     = 7  // gdprApplies, eventStatus, publisher consents, publisher LI, tcString
	RecordGPP     = 8  // signalStatus, usnat SaleOptOut, SharingOptOut, TargetedAdvertisingOptOut, Gpc, gppString
	RecordGCM     = 9  // command (default or update), then key, value pairs
	RecordConsent = 10 // crumbless('consent', ...): "withdraw", or purpose, state pairs
	RecordUID     = 11 // the stored T3 id, "" when none; only after SendLoadID
	RecordSignals = 12 // flags, invalid, then each source's states and time: replaces every signal held (tests, replays)

	RecordClick      = 13 // link href, download attribute ("1"), event name, content id, group, origin, then prop key, value pairs
	RecordForm       = 14 // form id or name, content id, group, origin
	RecordState      = 15 // visible, focused: each "1" or ""
	RecordActive     = 16 // no fields: the visitor used the page (input, scroll, pointer)
	RecordScroll     = 17 // the deepest scroll of the page so far, percent
	RecordVitals     = 18 // LCP, INP, CLS (thousandths), FCP, TTFB: decimal, "" when unknown
	RecordExperiment = 19 // experiment name, variant
)

// How a page record came about (its seventh field).
const (
	HowLoad    = ""        // the document loaded
	HowSPA     = "spa"     // history.pushState, replaceState, popstate or hashchange
	HowRestore = "restore" // the page came back from the back/forward cache
)

// Send modes (module → loader), the third argument of crumbless.send.
const (
	// SendNormal: compress and post with fetch keepalive.
	SendNormal = 0
	// SendBeacon: the page is going away; send now with navigator.sendBeacon.
	SendBeacon = 1
	// SendLoadID carries no batch: the module decided T3 and asks for the
	// stored id, which the loader reads and feeds back in a RecordUID.
	SendLoadID = 2
)

// IdleMillis without a RecordActive, the visitor counts as idle.
const IdleMillis = 30_000

// Delivery rules of wasm/ABI.md.
const (
	// MaxQueueEvents queued events are sent at once.
	MaxQueueEvents = 20
	// MaxQueueBytes of queued encoded events are sent at once. A batch is
	// larger only when it holds a single event that is larger by itself.
	MaxQueueBytes = 8 << 10
	// FlushDelayMillis after the first queued event, the page load's first
	// batch is sent: its pageview reaches the collector within seconds.
	FlushDelayMillis = 2000
	// LaterFlushDelayMillis after the first queued event, every later batch
	// is sent. Each send costs the page's main thread a few milliseconds
	// (JSON, gzip, fetch), so a busy page sends fewer, fuller batches: every
	// 10 s, or at MaxQueueEvents. Nothing waits longer when the page goes
	// away: hide sends everything at once by beacon.
	LaterFlushDelayMillis = 10_000
	// PolicyTimeoutMillis after init without a policy record, the tracker
	// stops waiting for one and sends without consent fields (the collector
	// decides alone), as an ABI 1 tracker did.
	PolicyTimeoutMillis = 3000
	// MaxFeedBytes is the largest feed: crumbless_buffer returns 0 for a
	// larger size, and the loader drops that feed.
	MaxFeedBytes = 128 << 10
)
