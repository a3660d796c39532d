package wire

// Prop is one property of a custom event, or one experiment and its variant. Values are strings on the wire;
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

	// Pageviews only: the HTTP status when the page is an error page (404),
	// else 0; the campaign (utm_* query parameters); the ad click id's
	// parameter name (gclid, fbclid, ...), and its value only under the
	// visitor's marketing flag.
	Status      int64
	UTMSource   []byte
	UTMMedium   []byte
	UTMCampaign []byte
	UTMTerm     []byte
	UTMContent  []byte
	Click       []byte
	ClickID     []byte

	// Any event: the content it is about (data-crumbless-content: id, group,
	// origin such as ai or human) and the experiments the page exposed the
	// visitor to (name → variant).
	ContentID     []byte
	ContentGroup  []byte
	ContentOrigin []byte
	Exp           []Prop

	// Outbound and download events: the link's target, without query or
	// fragment. Form events: the form's id or name, never a field's value.
	URL  []byte
	Form []byte

	// Leave events (the page-leave summary): milliseconds on the page and
	// engaged (visible, focused, not idle), and the deepest scroll in percent.
	Duration int64
	Engaged  int64
	Scroll   int64

	// Vitals events: Core Web Vitals in milliseconds, CLS in thousandths.
	LCP  int64
	INP  int64
	CLS  int64
	FCP  int64
	TTFB int64
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

	// Automated is set when the page reported navigator.webdriver.
	Automated bool
}

// Reset empties b, keeping the capacity of Events.
func (b *Batch) Reset() {
	b.Version, b.Site, b.SentAt = 0, nil, 0
	b.Tier, b.Flags, b.Signals, b.Policy, b.UID = nil, nil, nil, nil, nil
	b.Automated = false
	b.Events = b.Events[:0]
}
