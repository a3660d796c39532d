//go:build !tinygo

package wire

import (
	"github.com/valyala/fastjson"
)

// Reasons a batch is refused. They are short, stable and machine-readable:
// the collector sends them back and labels its rejection counter with them.
const (
	ReasonBadJSON       = "bad_json"
	ReasonBadVersion    = "bad_version"
	ReasonBadSite       = "bad_site"
	ReasonNoEvents      = "no_events"
	ReasonTooManyEvents = "too_many_events"
	ReasonBadEvent      = "bad_event"
	ReasonBadEventType  = "bad_event_type"
	ReasonBadEventID    = "bad_event_id"
	ReasonBadName       = "bad_event_name"
	ReasonTooManyProps  = "too_many_props"
	ReasonBadConsent    = "bad_consent"
)

// Reasons lists every Reason constant, for callers that count rejections
// by reason and want each counter to exist from the start.
var Reasons = []string{
	ReasonBadJSON, ReasonBadVersion, ReasonBadSite, ReasonNoEvents, ReasonTooManyEvents,
	ReasonBadEvent, ReasonBadEventType, ReasonBadEventID, ReasonBadName, ReasonTooManyProps,
	ReasonBadConsent,
}

// Error is why a batch was refused.
type Error struct {
	Reason string // one of the Reason constants
	Detail string // a few words for a human
}

func (e *Error) Error() string { return "invalid batch: " + e.Reason + ": " + e.Detail }

func fail(reason, detail string) error { return &Error{Reason: reason, Detail: detail} }

// Parser parses batches. It keeps its memory between calls, so a warm Parser
// allocates nothing. It is not safe for concurrent use; pool it.
type Parser struct {
	json  fastjson.Parser
	batch Batch
	props []Prop
}

// Parse parses and checks src. The returned Batch, and every slice in it,
// is valid until the next call to Parse; copy what must outlive it. Fields
// longer than their limit are truncated; structural problems are an *Error.
func (p *Parser) Parse(src []byte) (*Batch, error) {
	p.batch.Reset()
	p.props = p.props[:0]
	v, err := p.json.ParseBytes(src)
	if err != nil {
		return nil, fail(ReasonBadJSON, "not a JSON object")
	}
	if v.Type() != fastjson.TypeObject {
		return nil, fail(ReasonBadJSON, "not a JSON object")
	}
	b := &p.batch
	if b.Version = v.GetInt("v"); b.Version != Version {
		return nil, fail(ReasonBadVersion, "unsupported batch version")
	}
	b.Site = v.GetStringBytes("site")
	if len(b.Site) == 0 || len(b.Site) > MaxSiteLen {
		return nil, fail(ReasonBadSite, "site missing or too long")
	}
	b.SentAt = v.GetInt64("sent_at")
	if err := p.parseConsent(v); err != nil {
		return nil, err
	}
	events := v.GetArray("events")
	switch {
	case len(events) == 0:
		return nil, fail(ReasonNoEvents, "batch has no events")
	case len(events) > MaxEvents:
		return nil, fail(ReasonTooManyEvents, "batch has more events than allowed")
	}
	for _, ev := range events {
		if err := p.parseEvent(ev); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (p *Parser) parseEvent(v *fastjson.Value) error {
	o, err := v.Object()
	if err != nil {
		return fail(ReasonBadEvent, "event is not an object")
	}
	b := &p.batch
	b.Events = append(b.Events, Event{})
	e := &b.Events[len(b.Events)-1]
	var props, exp *fastjson.Value
	// One pass over the event's keys: looking each field up by name would
	// scan the object once per field.
	o.Visit(func(key []byte, v *fastjson.Value) {
		switch string(key) {
		case "id":
			e.ID = stringOf(v)
		case "type":
			e.Kind = ParseKind(stringOf(v))
		case "ts":
			e.TS, _ = v.Int64()
		case "path":
			e.Path = Truncate(stringOf(v), MaxPathLen)
		case "referrer":
			e.Referrer = Truncate(stringOf(v), MaxReferrerLen)
		case "title":
			e.Title = Truncate(stringOf(v), MaxTitleLen)
		case "viewport":
			e.Viewport = Truncate(stringOf(v), MaxShortLen)
		case "lang":
			e.Lang = Truncate(stringOf(v), MaxShortLen)
		case "tz":
			e.TZ = Truncate(stringOf(v), MaxShortLen)
		case "name":
			e.Name = Truncate(stringOf(v), MaxNameLen)
		case "props":
			props = v
		case "method":
			e.Method = Truncate(stringOf(v), MaxMethodLen)
		case "states":
			e.States = stringOf(v)
		case "evidence":
			e.Evidence = stringOf(v)
		case "status":
			e.Status = numberOf(v)
		case "utm_source":
			e.UTMSource = Truncate(stringOf(v), MaxCampaignLen)
		case "utm_medium":
			e.UTMMedium = Truncate(stringOf(v), MaxCampaignLen)
		case "utm_campaign":
			e.UTMCampaign = Truncate(stringOf(v), MaxCampaignLen)
		case "utm_term":
			e.UTMTerm = Truncate(stringOf(v), MaxCampaignLen)
		case "utm_content":
			e.UTMContent = Truncate(stringOf(v), MaxCampaignLen)
		case "click":
			e.Click = Truncate(stringOf(v), MaxShortLen)
		case "click_id":
			e.ClickID = Truncate(stringOf(v), MaxClickIDLen)
		case "content_id":
			e.ContentID = Truncate(stringOf(v), MaxContentLen)
		case "content_group":
			e.ContentGroup = Truncate(stringOf(v), MaxContentLen)
		case "content_origin":
			e.ContentOrigin = Truncate(stringOf(v), MaxContentLen)
		case "exp":
			exp = v
		case "url":
			e.URL = Truncate(stringOf(v), MaxURLLen)
		case "form":
			e.Form = Truncate(stringOf(v), MaxFormLen)
		case "duration":
			e.Duration = numberOf(v)
		case "engaged":
			e.Engaged = numberOf(v)
		case "scroll":
			e.Scroll = numberOf(v)
		case "lcp":
			e.LCP = numberOf(v)
		case "inp":
			e.INP = numberOf(v)
		case "cls":
			e.CLS = numberOf(v)
		case "fcp":
			e.FCP = numberOf(v)
		case "ttfb":
			e.TTFB = numberOf(v)
		}
	})
	switch {
	case e.Kind == KindUnknown:
		return fail(ReasonBadEventType, "unknown event type")
	case len(e.ID) == 0 || len(e.ID) > MaxIDLen:
		return fail(ReasonBadEventID, "event id missing or too long")
	case e.TS <= 0:
		return fail(ReasonBadEvent, "event time missing")
	case e.Kind == KindCustom && len(e.Name) == 0:
		return fail(ReasonBadName, "custom event without a name")
	case len(e.States) > MaxStatesLen || len(e.Evidence) > MaxEvidenceLen:
		return fail(ReasonBadConsent, "consent states or evidence too long")
	case e.Kind == KindConsent && len(e.States) == 0:
		return fail(ReasonBadConsent, "consent event without states")
	}
	if err := p.parseProps(&e.Props, props, MaxProps, MaxPropKeyLen, MaxPropValueLen); err != nil {
		return err
	}
	return p.parseProps(&e.Exp, exp, MaxExperiments, MaxNameLen, MaxNameLen)
}

// numberOf returns v as a whole number of at least 0: a negative number,
// a fraction or a non-number reads as 0, which means absent.
func numberOf(v *fastjson.Value) int64 {
	n, err := v.Int64()
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// parseConsent reads the batch's consent fields. They are short, opaque
// strings here; the collector's consent package gives them meaning. One
// that is too long is refused rather than truncated, since a cut signal
// would mean something else.
func (p *Parser) parseConsent(v *fastjson.Value) error {
	b := &p.batch
	b.Tier = v.GetStringBytes("tier")
	b.Flags = v.GetStringBytes("flags")
	b.Signals = v.GetStringBytes("signals")
	b.Policy = v.GetStringBytes("policy")
	b.UID = v.GetStringBytes("uid")
	b.Automated = v.GetInt("automated") == 1
	if len(b.Tier) > MaxTierLen || len(b.Flags) > MaxFlagsLen || len(b.Signals) > MaxSignalsLen ||
		len(b.Policy) > MaxPolicyLen || len(b.UID) > MaxUIDLen {
		return fail(ReasonBadConsent, "a consent field is too long")
	}
	return nil
}

// stringOf returns v's contents if v is a JSON string, else nil.
func stringOf(v *fastjson.Value) []byte {
	s, err := v.StringBytes()
	if err != nil {
		return nil
	}
	return s
}

// parseProps reads an object of strings (props, or exp) into *dst: at
// most max pairs, keys and values truncated to keyLen and valueLen.
func (p *Parser) parseProps(dst *[]Prop, v *fastjson.Value, max, keyLen, valueLen int) error {
	if v == nil {
		return nil
	}
	o, err := v.Object()
	if err != nil {
		return fail(ReasonBadEvent, "props or exp is not an object")
	}
	if o.Len() > max {
		return fail(ReasonTooManyProps, "event has more props or experiments than allowed")
	}
	start := len(p.props)
	bad := false
	o.Visit(func(key []byte, pv *fastjson.Value) {
		val, err := pv.StringBytes()
		if err != nil {
			bad = true
			return
		}
		p.props = append(p.props, Prop{Key: Truncate(key, keyLen), Value: Truncate(val, valueLen)})
	})
	if bad {
		return fail(ReasonBadEvent, "prop and variant values must be strings")
	}
	*dst = p.props[start:len(p.props):len(p.props)]
	return nil
}
