package wire

// Limits every sender must keep and the collector enforces. The tracker
// truncates to them (at a UTF-8 boundary) before sending; the collector
// refuses a batch that goes over a structural limit (MaxEvents, MaxProps) and
// truncates a field that is too long.
const (
	// MaxBodyBytes is the largest request body, compressed or not.
	MaxBodyBytes = 64 << 10
	// MaxDecodedBytes is the largest batch after decompression.
	MaxDecodedBytes = 512 << 10
	// MaxEvents is the most events one batch may hold.
	MaxEvents = 100
	// MaxIDLen is the longest event id.
	MaxIDLen = 64
	// MaxSiteLen is the longest site name.
	MaxSiteLen = 253
	// MaxNameLen is the longest custom event name.
	MaxNameLen = 64
	// MaxPathLen and MaxReferrerLen bound URL-like fields.
	MaxPathLen     = 2048
	MaxReferrerLen = 2048
	// MaxTitleLen bounds the page title.
	MaxTitleLen = 512
	// MaxShortLen bounds short context fields: viewport, lang, tz.
	MaxShortLen = 64
	// MaxProps is the most properties one custom event may carry.
	MaxProps = 30
	// MaxPropKeyLen and MaxPropValueLen bound each property.
	MaxPropKeyLen   = 64
	MaxPropValueLen = 256
	// MaxTierLen, MaxFlagsLen, MaxPolicyLen and MaxUIDLen bound the batch's
	// consent fields; MaxSignalsLen the encoded signals.
	MaxTierLen    = 2
	MaxFlagsLen   = 8
	MaxPolicyLen  = 64
	MaxUIDLen     = 64
	MaxSignalsLen = 1024
	// MaxMethodLen bounds a consent event's method; MaxStatesLen its encoded
	// states; MaxEvidenceLen the raw evidence it carries (a TC or GPP string).
	MaxMethodLen   = 32
	MaxStatesLen   = 256
	MaxEvidenceLen = 16 << 10
	// MaxCampaignLen bounds each utm_* field; MaxClickIDLen an ad click id.
	MaxCampaignLen = 256
	MaxClickIDLen  = 256
	// MaxContentLen bounds each content field; MaxFormLen a form's id or name.
	MaxContentLen = 128
	MaxFormLen    = 128
	// MaxURLLen bounds an outbound or download link's target.
	MaxURLLen = 2048
	// MaxExperiments is the most experiments an event carries; their names
	// and variants are bounded by MaxNameLen.
	MaxExperiments = 10
	// MaxClockSkewMillis is how far an event's time may lie before the
	// batch's sent_at; older claims are moved up to it.
	MaxClockSkewMillis = 24 * 60 * 60 * 1000
)

// Truncate shortens s to at most n bytes without splitting a UTF-8 sequence.
func Truncate(s []byte, n int) []byte {
	if len(s) <= n {
		return s
	}
	// Back up over continuation bytes (10xxxxxx) so that the cut falls on the
	// start of a rune.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// TextLimits are the limits of an event's text fields, by their index
// (TextNames). Method, States and Evidence are consent events' and checked
// whole by the collector.
var TextLimits = [NumTexts]uint16{
	TextPath: MaxPathLen, TextReferrer: MaxReferrerLen, TextTitle: MaxTitleLen, TextViewport: MaxShortLen,
	TextLang: MaxShortLen, TextTZ: MaxShortLen, TextName: MaxNameLen, TextMethod: MaxMethodLen,
	TextStates: MaxStatesLen, TextEvidence: MaxEvidenceLen, TextUTMSource: MaxCampaignLen,
	TextUTMMedium: MaxCampaignLen, TextUTMCampaign: MaxCampaignLen, TextUTMTerm: MaxCampaignLen,
	TextUTMContent: MaxCampaignLen, TextClick: MaxShortLen, TextClickID: MaxClickIDLen,
	TextContentID: MaxContentLen, TextContentGroup: MaxContentLen, TextContentOrigin: MaxContentLen,
	TextURL: MaxURLLen, TextForm: MaxFormLen,
}
