// Package enrich derives coarse, non-identifying classes from request
// metadata: from the User-Agent, the browser name, the operating system name
// and the device class. Only those class names leave the package; the raw
// User-Agent is never stored, logged or returned.
//
// It must not import collector or any other collector/<x> package.
package enrich

// Device classes, as written in output rows.
const (
	DeviceDesktop = "desktop"
	DeviceMobile  = "mobile"
	DeviceTablet  = "tablet"
	DeviceTV      = "tv"
	DeviceBot     = "bot"
	DeviceUnknown = "unknown"
)

// Agent is what the collector keeps of a User-Agent. Browser and OS are
// names such as "Firefox" and "Windows", or "" when not recognised; Device
// is one of the Device constants.
type Agent struct {
	Browser string
	OS      string
	Device  string
}
