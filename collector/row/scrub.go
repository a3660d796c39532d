package row

import (
	"github.com/crumbless/crumbless/sdk/scrub"
	"github.com/crumbless/crumbless/sdk/wire"
)

// scrubAppend appends src with e-mail addresses, tokens and card numbers
// replaced by placeholders (sdk/scrub). It is the one place rows call the
// scrubber: path, referrer, title, url, source, the utm_* and content_*
// values and prop values go through it. Plain text, most of it, is
// copied as it is.
func scrubAppend(dst, src []byte) []byte {
	if scrub.Plain(src) {
		return append(dst, src...)
	}
	return scrub.Append(dst, src)
}

// appendScrubbedString appends v, scrubbed, as a JSON string. The scrubbed
// text is written at the end of dst and escaped in place (escapeTail), so
// no other buffer is needed.
func appendScrubbedString(dst, v []byte) []byte {
	start := len(dst)
	dst = scrubAppend(dst, v)
	return escapeTail(dst, start)
}

// scrubTail scrubs dst[start:] in place, the same way.
func scrubTail(dst []byte, start int) []byte {
	mid := len(dst)
	dst = scrubAppend(dst, dst[start:mid])
	n := copy(dst[start:], dst[mid:])
	return dst[:start+n]
}

// appendScrubbed appends key and v, scrubbed, unless v is empty.
func appendScrubbed(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return appendScrubbedString(append(dst, key...), v)
}

// appendScrubbedProps appends props as a JSON object of strings, with
// every value scrubbed.
func appendScrubbedProps(dst []byte, props []wire.Prop) []byte {
	dst = append(dst, '{')
	for i := range props {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = wire.AppendString(dst, props[i].Key)
		dst = appendScrubbedString(append(dst, ':'), props[i].Value)
	}
	return append(dst, '}')
}
