package client

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
)

// Visitor is whom the events are about. Every field is optional.
type Visitor struct {
	// IP is the visitor's address, as the server saw it (a host:port is
	// accepted). With UserAgent it gives the visitor_id the visitor's page
	// events get that day; it also gives the region. Never stored.
	IP string
	// UserAgent is the visitor's browser's User-Agent, for the browser,
	// OS and device classes. Never stored.
	UserAgent string
	// UID is the site's stable first-party id for the visitor, kept only
	// at tier T3.
	UID string
	// Tier is the tier the visitor's consent allows, T0 to T3, as the
	// site's pages decided it; empty lets the collector decide alone. It
	// can only lower what the collector decides.
	Tier string
}

// Event is a custom event, like crumbless('event', name, props) on a page.
type Event struct {
	// ID identifies the event; empty gets a new one (NewEventID).
	ID string
	// Name is the event's name, like purchase; required.
	Name string
	// Props are its properties; at most 30.
	Props map[string]string
	// Path is the page it relates to, like /checkout; optional.
	Path string
	// Time is when it happened; zero means now.
	Time time.Time
}

// batch returns the batch of events for v, giving each event without an id
// a new one: the ids stay the same through every attempt.
func (c *Client) batch(v Visitor, events []Event) (*wire.Batch, error) {
	if len(events) == 0 || len(events) > wire.MaxEvents {
		return nil, fmt.Errorf("sending events: %d events; send 1 to %d at a time", len(events), wire.MaxEvents)
	}
	now := c.now().UnixMilli()
	b := &wire.Batch{Version: wire.Version, Site: []byte(c.site), Tier: []byte(v.Tier), UID: []byte(v.UID)}
	for _, e := range events {
		we, err := c.wireEvent(e, now)
		if err != nil {
			return nil, err
		}
		b.Events = append(b.Events, we)
	}
	return b, nil
}

// encode returns b gzip-compressed, sent now: sent_at is each attempt's
// time, so that the collector corrects the events' times with the right
// clock difference.
func (c *Client) encode(b *wire.Batch) ([]byte, error) {
	b.SentAt = c.now().UnixMilli()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(wire.AppendBatch(nil, b)); err != nil {
		return nil, fmt.Errorf("compressing a batch: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compressing a batch: %w", err)
	}
	return out.Bytes(), nil
}

func (c *Client) wireEvent(e Event, now int64) (wire.Event, error) {
	switch {
	case e.Name == "" || len(e.Name) > wire.MaxNameLen:
		return wire.Event{}, fmt.Errorf("sending events: an event name must be 1 to %d bytes, got %q", wire.MaxNameLen, e.Name)
	case len(e.Props) > wire.MaxProps:
		return wire.Event{}, fmt.Errorf("sending event %q: %d properties; at most %d", e.Name, len(e.Props), wire.MaxProps)
	case len(e.ID) > wire.MaxIDLen:
		return wire.Event{}, errors.New("sending events: an event id is longer than 64 bytes")
	}
	we := wire.Event{ID: []byte(e.ID), Kind: wire.KindCustom, TS: now, Name: []byte(e.Name), Path: []byte(e.Path)}
	if len(we.ID) == 0 {
		we.ID = []byte(c.NewEventID())
	}
	if !e.Time.IsZero() {
		we.TS = e.Time.UnixMilli()
	}
	keys := make([]string, 0, len(e.Props))
	for k := range e.Props {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same bytes for the same event
	for _, k := range keys {
		we.Props = append(we.Props, wire.Prop{Key: []byte(k), Value: []byte(e.Props[k])})
	}
	return we, nil
}
