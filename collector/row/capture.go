package row

import (
	"strconv"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// appendCampaign appends how the visitor came: the page's HTTP status
// (error pages), the utm_* values, the ad click parameter, its value only
// under the marketing flag above T1, and the edge's channel and source.
func appendCampaign(dst []byte, e *wire.Event, c *Context, m *Mark) []byte {
	dst = appendNumber(dst, `,"status":`, e.Status)
	dst = appendScrubbed(dst, `,"utm_source":`, e.UTMSource)
	dst = appendScrubbed(dst, `,"utm_medium":`, e.UTMMedium)
	dst = appendScrubbed(dst, `,"utm_campaign":`, e.UTMCampaign)
	dst = appendScrubbed(dst, `,"utm_term":`, e.UTMTerm)
	dst = appendScrubbed(dst, `,"utm_content":`, e.UTMContent)
	dst = appendOptional(dst, `,"click":`, e.Click)
	if c.Marketing && c.Tier > consent.T1 {
		dst = appendOptional(dst, `,"click_id":`, e.ClickID)
	}
	dst = appendOptionalString(dst, `,"channel":`, m.Channel)
	return appendScrubbed(dst, `,"source":`, m.Source)
}

// appendCapture appends what the tracker measured: content, experiments,
// the link or form, the page-leave summary and the Core Web Vitals.
func appendCapture(dst []byte, e *wire.Event) []byte {
	dst = appendScrubbed(dst, `,"content_id":`, e.ContentID)
	dst = appendScrubbed(dst, `,"content_group":`, e.ContentGroup)
	dst = appendScrubbed(dst, `,"content_origin":`, e.ContentOrigin)
	if len(e.Exp) > 0 {
		dst = wire.AppendProps(append(dst, `,"exp":`...), e.Exp)
	}
	dst = appendScrubbed(dst, `,"url":`, withoutQuery(e.URL))
	dst = appendOptional(dst, `,"form":`, e.Form)
	dst = appendNumber(dst, `,"duration":`, e.Duration)
	dst = appendNumber(dst, `,"engaged":`, e.Engaged)
	dst = appendNumber(dst, `,"scroll":`, e.Scroll)
	dst = appendNumber(dst, `,"lcp":`, e.LCP)
	dst = appendNumber(dst, `,"inp":`, e.INP)
	dst = appendThousandths(dst, `,"cls":`, e.CLS)
	dst = appendNumber(dst, `,"fcp":`, e.FCP)
	return appendNumber(dst, `,"ttfb":`, e.TTFB)
}

// appendGoal appends the goal the event reached and its journey stage.
func appendGoal(dst []byte, m *Mark) []byte {
	dst = appendOptional(dst, `,"goal":`, m.Goal)
	return appendOptional(dst, `,"stage":`, m.Stage)
}

// appendNumber appends key and n, unless n is 0 (absent on the wire).
func appendNumber(dst []byte, key string, n int64) []byte {
	if n <= 0 {
		return dst
	}
	return strconv.AppendInt(append(dst, key...), n, 10)
}

// appendThousandths appends key and n/1000 as a decimal number without
// trailing zeros (50 → 0.05, 1200 → 1.2), unless n is 0.
func appendThousandths(dst []byte, key string, n int64) []byte {
	if n <= 0 {
		return dst
	}
	dst = strconv.AppendInt(append(dst, key...), n/1000, 10)
	frac := n % 1000
	if frac == 0 {
		return dst
	}
	digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	end := 3
	for digits[end-1] == '0' {
		end--
	}
	return append(append(dst, '.'), digits[:end]...)
}
