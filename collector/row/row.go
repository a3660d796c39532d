// Package row writes the collector's output rows: one JSON object per
// event, one line each (NDJSON), in a fixed field order. SCHEMA.md beside
// this file documents every field; schema/event-v1.schema.json publishes the
// same as JSON Schema.
//
// Rows are appended to a caller's buffer (AppendRow, AppendRows) and a warm
// buffer makes that allocation-free. Strings are escaped by wire.AppendString.
//
// It must not import collector or any other collector/<x> package.
package row

import "github.com/crumbless/crumbless/consent"

// SchemaVersion is the version of the row format, written in every row as
// schema_version. It changes only when a field changes meaning or is
// removed; adding an optional field keeps it.
const SchemaVersion = 1

// Context is what the collector adds to every event of one batch.
type Context struct {
	// Site is the batch's site id, already checked against the registry.
	Site []byte
	// SentAt is the batch's sent_at, in milliseconds on the sender's clock;
	// 0 when the sender did not say.
	SentAt int64
	// ReceivedAt is when the collector received the batch, in milliseconds
	// since the Unix epoch.
	ReceivedAt int64
	// Tier is the consent tier the batch was accepted under.
	Tier consent.Tier
	// VisitorID is the hashed visitor key; it is written only when Tier
	// allows a visitor key.
	VisitorID []byte
	// UID is the page's stable first-party id; written only at T3.
	UID []byte
	// Reasons are the names of what lowered the decision, comma-separated;
	// written as consent_reasons when not empty.
	Reasons []byte
	// QueryAllowlist names the query parameters kept in paths below T3;
	// empty means the utm_* parameters.
	QueryAllowlist [][]byte
	// PathRedactions are path patterns; a "*" segment is written as "*".
	PathRedactions [][]byte
	// Browser, OS and Device are class names derived from the User-Agent.
	Browser, OS, Device string
	// Marketing is the decision's marketing flag: an ad click id is
	// written only under it (and above T1).
	Marketing bool
	// Automated is set when the page reported navigator.webdriver.
	Automated bool
	// Datacenter is set when the visitor's address is in a hosting or
	// cloud network (collector/enrich.Datacenters).
	Datacenter bool
	// Server is set when the batch came from one of the site's servers,
	// authenticated by the site's secret, not from a page.
	Server bool
	// Bot is the batch's bot score, written on every row when set (a
	// site's bots: flag).
	Bot Bot
	// Marks are what the edge found out about each event, indexed like
	// the batch's events; nil or short means nothing for the rest.
	Marks []Mark

	clock clock // the last second formatted, for the batch's rows
}

// Mark is what the edge adds to one event: its inflow channel and source
// (pageviews), and the first of the site's goals it reaches.
type Mark struct {
	// Channel is the inflow channel, like organic_search; "" for none.
	Channel string
	// Source is the normalised source ("Google") or the utm_source.
	Source []byte
	// Goal and Stage are the first matching goal's name and journey stage.
	Goal, Stage []byte
	// Mouse is set for the mouse add-on's events (Mouse.Type not "").
	Mouse Mouse
}
