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
}

// Batch is what one POST /e carries.
type Batch struct {
	Version int
	Site    []byte
	SentAt  int64 // milliseconds since the Unix epoch, sender's clock
	Events  []Event
}

// Reset empties b, keeping the capacity of Events.
func (b *Batch) Reset() {
	b.Version, b.Site, b.SentAt = 0, nil, 0
	b.Events = b.Events[:0]
}
