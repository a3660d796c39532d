package wire

// Prop is one property of a custom event. Values are strings on the wire;
// senders stringify numbers and booleans.
type Prop struct {
	Key, Value []byte
}

// Event is one event of a batch. Byte slices are views: into the sender's
// buffers when appending, into the Parser's memory after parsing.
type Event struct {
	ID       []byte
	Kind     Kind
	TS       int64 // milliseconds since the Unix epoch, sender's clock
	Path     []byte
	Referrer []byte
	Title    []byte
	Viewport []byte // viewport class: xs, sm, md, lg, xl
	Lang     []byte
	TZ       []byte
	Name     []byte // custom events only
	Props    []Prop // custom events only

	// Consent events only: how the choice was made (banner, api, tcf, gpp,
	// gcm, gpc, ...), the new states (consent.AppendChoice), and the raw
	// evidence (a TC or GPP string) kept only in the consent record.
	Method   []byte
	States   []byte
	Evidence []byte
}

// Batch is what one POST /e carries.
type Batch struct {
	Version int
	Site    []byte
	SentAt  int64 // milliseconds since the Unix epoch, sender's clock
	Events  []Event

	// The page's consent decision for every event of the batch; all empty
	// from a sender that does not decide (the collector then decides alone).
	Tier    []byte // "T0".."T3"
	Flags   []byte // "i" interaction, "m" marketing, or both, or empty
	Signals []byte // consent.AppendSignals
	Policy  []byte // hex hash of the site policy the page decided with
	UID     []byte // the stable first-party id, at tier T3 only
}

// Reset empties b, keeping the capacity of Events.
func (b *Batch) Reset() {
	b.Version, b.Site, b.SentAt = 0, nil, 0
	b.Tier, b.Flags, b.Signals, b.Policy, b.UID = nil, nil, nil, nil, nil
	b.Events = b.Events[:0]
}
