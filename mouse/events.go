package mouse

import (
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/internal/buf"
)

// The events the add-on sends through the tracker's queue, as custom
// events with reserved names (collector/ingest turns them into heatmap,
// frustration and bot rows). AppendEvents writes them one a line, the name
// then key, value pairs, separated by tabs (no field holds a tab or a line
// end: the script takes control characters out of selectors):
//
//	$heatmap          vp (viewport class), cells (Heatmap.Append tokens, at
//	                  most 250 bytes), and s<id> (the selector of each element
//	                  id the cells name)
//	$rage_click       selector, count (clicks)
//	$dead_click       selector
//	$error_click      selector
//	$quick_back       page (the id of the page left briefly, which the script
//	                  turns into its path; none when it was another document)
//	$excessive_scroll count (direction changes)
//	$bot              score (0–100), reasons (AppendReasons)
//
// Only counts leave the page: no trajectory, no sequence, no time of a
// movement.
var signalNames = [...]string{"", "$rage_click", "$dead_click", "$quick_back", "$error_click", "$excessive_scroll"}

// AppendEvents appends the events due at now to dst: the frustration
// signals finalised by then and, with heat, the heatmap counts since the
// last time (then reset) and the bot score when it was fed since. An event
// that does not fit in dst's capacity is dropped, with the rest of the
// heatmap (the caller's buffer is fixed: size it for a flush).
func (t *Tab) AppendEvents(dst []byte, now int64, heat bool) []byte {
	t.Det.Tick(now)
	for {
		s, ok := t.Det.Next()
		if !ok {
			break
		}
		dst = t.appendSignal(dst, s)
	}
	if !heat {
		return dst
	}
	for from := 0; from < t.Heat.Tokens() && cap(dst)-len(dst) >= maxEventBytes; {
		dst, from = t.appendHeat(dst, from)
	}
	t.Heat.Reset()
	if t.fed {
		score, reasons := t.Bot.Score()
		dst = field(buf.String(dst, "$bot"), "score")
		dst = consent.AppendInt(buf.Bytes(dst, '\t'), int64(score))
		dst = AppendReasons(buf.String(field(dst, "reasons"), "\t"), reasons)
		dst = buf.Bytes(dst, '\n')
		t.fed = false
	}
	return dst
}

// field appends a tab and name.
func field(dst []byte, name string) []byte { return buf.String(buf.Bytes(dst, '\t'), name) }

func (t *Tab) appendSignal(dst []byte, s Signal) []byte {
	dst = buf.String(dst, signalNames[s.Kind])
	if sel := t.Sel.Get(s.El); len(sel) > 0 {
		dst = buf.Bytes(field(dst, "selector\t"), sel...)
	}
	switch {
	case s.Kind == RageClick || s.Kind == ExcessiveScroll:
		dst = consent.AppendInt(field(dst, "count\t"), int64(s.N))
	case s.Kind == QuickBack && s.Page != 0:
		dst = consent.AppendInt(field(dst, "page\t"), int64(s.Page))
	}
	return buf.Bytes(dst, '\n')
}

// appendHeat appends one $heatmap event with the tokens from from on that
// fit appendLimit, and returns where the next one starts.
func (t *Tab) appendHeat(dst []byte, from int) ([]byte, int) {
	dst = buf.Bytes(field(buf.String(dst, "$heatmap"), "vp\t"), t.viewport...)
	dst = field(dst, "cells\t")
	start := len(dst)
	dst, next := t.Heat.Append(dst, from, appendLimit)
	end := len(dst)
	var named [32]uint16
	n := 0
	for i := start; i < end; i++ {
		if i > start && dst[i-1] != ',' || dst[i] != 'e' && dst[i] != 'n' {
			continue
		}
		id := elementID(dst[i+1:])
		if seen(named[:n], id) || n == len(named) {
			continue
		}
		named[n], n = id, n+1
		dst = buf.Bytes(consent.AppendInt(field(dst, "s"), int64(id)), '\t')
		dst = buf.Bytes(dst, t.Sel.Get(id)...)
	}
	return buf.Bytes(dst, '\n'), next
}

// elementID reads the decimal id that starts an element token's text.
func elementID(b []byte) uint16 {
	id := uint16(0)
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint16(c-'0')
	}
	return id
}

func seen(ids []uint16, id uint16) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
