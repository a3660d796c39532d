package spooled

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

// IDs reads the event ids of a spool record received at since or later
// and calls fn with the record's site and each id: the ids of event rows
// and consent records as they are, those of heatmap rows without the
// "-part" their rows add; an older record is passed over without reading
// its rows. buf is scratch space for the rows, returned for the next call.
// The collector seeds its seen-set with them at start-up, so that a batch
// written just before a crash, whose answer was lost, lands once when it
// is retried.
func IDs(rec spool.Record, since time.Time, buf []byte, fn func(site, id []byte)) ([]byte, error) {
	var r sink.Record
	compressed, err := decode(&r, rec.Data, rec.Pos)
	if err != nil {
		return buf, fmt.Errorf("spool record %d: %w", rec.Pos, err)
	}
	if r.ReceivedAt.Before(since) {
		return buf, nil
	}
	if buf, err = appendRows(buf[:0], r.Rows, compressed); err != nil {
		return buf, fmt.Errorf("spool record %d: %w", rec.Pos, err)
	}
	for line := range bytes.Lines(buf) {
		id, ok := eventID(line)
		if !ok {
			continue
		}
		if r.Kind == sink.KindHeatmap {
			if i := bytes.LastIndexByte(id, '-'); i >= 0 {
				id = id[:i]
			}
		}
		fn(r.Site, id)
	}
	return buf, nil
}

var eventIDKey = []byte(`"event_id":"`)

// eventID returns the value of a row's event_id, unescaped.
func eventID(line []byte) ([]byte, bool) {
	i := bytes.Index(line, eventIDKey)
	if i < 0 {
		return nil, false
	}
	rest := line[i+len(eventIDKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	if bytes.IndexByte(rest[:end], '\\') < 0 {
		return rest[:end], true
	}
	// An escaped id (rare): the JSON string up to its real end.
	var s string
	if err := json.NewDecoder(bytes.NewReader(line[i+len(eventIDKey)-1:])).Decode(&s); err != nil {
		return nil, false
	}
	return []byte(s), true
}
