package core

// ABIVersion is the version of the contract in wasm/ABI.md that this package
// and the module built from it implement. The module returns it from
// crumbless_abi.
const ABIVersion = 1

// Record kinds (loader → module), as wasm/ABI.md numbers them.
const (
	RecordInit  = 1 // site, seed
	RecordPage  = 2 // href, referrer, title, viewport width, language, time zone
	RecordEvent = 3 // name, then key, value pairs
	RecordHide  = 4 // no fields: flush everything now with SendBeacon
)

// Send modes (module → loader), the third argument of crumbless.send.
const (
	// SendNormal: compress and post with fetch keepalive.
	SendNormal = 0
	// SendBeacon: the page is going away; send now with navigator.sendBeacon.
	SendBeacon = 1
)

// Delivery rules of wasm/ABI.md.
const (
	// MaxQueueEvents queued events are sent at once.
	MaxQueueEvents = 20
	// MaxQueueBytes of queued encoded events are sent at once. A batch is
	// larger only when it holds a single event that is larger by itself.
	MaxQueueBytes = 8 << 10
	// FlushDelayMillis after the first queued event, the queue is sent.
	FlushDelayMillis = 2000
)
