package kafkasink

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/cespare/xxhash/v2"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
)

// Header names on every record.
const (
	HeaderSchemaVersion = "schema_version"
	HeaderSite          = "site"
	HeaderKind          = "kind"
)

var (
	kindValues    = [...][]byte{[]byte(sink.KindEvents.String()), []byte(sink.KindHeatmap.String()), []byte(sink.KindConsent.String())}
	defaultSchema = []byte(strconv.Itoa(row.SchemaVersion))
)

// records are one WriteBatch's Kafka records. Their keys, values and
// headers point into data, a copy of the batch: the client may still hold
// records of a WriteBatch that timed out and returned, after the batch's
// own slices are reused.
type records struct {
	recs []kgo.Record
	hdrs []kgo.RecordHeader
	data []byte
}

// build makes one record per row of b.
func (s *Sink) build(b *sink.Batch) (*records, error) {
	rows, size := 0, 0
	for i := range b.Records {
		r := &b.Records[i]
		if !r.Kind.Valid() {
			return nil, fmt.Errorf("record at spool position %d has unknown kind %d", r.Pos, r.Kind)
		}
		n := bytes.Count(r.Rows, []byte{'\n'}) + 1 // a last row may lack its newline
		rows += n
		size += len(r.Rows) + len(r.Site) + 8*n
	}
	rs := &records{
		recs: make([]kgo.Record, 0, rows),
		hdrs: make([]kgo.RecordHeader, 0, 3*rows),
		data: make([]byte, 0, size), // never grows: the records point into it
	}
	for i := range b.Records {
		rs.add(&b.Records[i], s.topics[b.Records[i].Kind])
	}
	return rs, nil
}

// add appends the records of rec's rows.
func (rs *records) add(rec *sink.Record, topic string) {
	site := rs.copy(rec.Site)
	rows := rec.Rows
	for len(rows) > 0 {
		line, rest, _ := bytes.Cut(rows, []byte{'\n'})
		rows = rest
		if len(line) == 0 {
			continue
		}
		value := rs.copy(line)
		f := scanRow(value)
		schema := f.schemaVersion
		if schema == nil {
			schema = f.schema
		}
		if schema == nil {
			schema = defaultSchema
		}
		h := len(rs.hdrs)
		rs.hdrs = append(rs.hdrs,
			kgo.RecordHeader{Key: HeaderSchemaVersion, Value: schema},
			kgo.RecordHeader{Key: HeaderSite, Value: site},
			kgo.RecordHeader{Key: HeaderKind, Value: kindValues[rec.Kind]})
		rs.recs = append(rs.recs, kgo.Record{
			Topic: topic, Key: rs.key(site, f), Value: value,
			Headers: rs.hdrs[h : h+3 : h+3], Timestamp: rec.ReceivedAt,
		})
	}
}

// key is the 8-byte big-endian xxhash of site, 0 and the row's visitor_id,
// or its event_id when it has none; nil when it has neither.
func (rs *records) key(site []byte, f rowFields) []byte {
	id := f.visitorID
	if id == nil {
		id = f.eventID
	}
	if id == nil {
		return nil
	}
	return rs.appendKey(site, id)
}

func (rs *records) appendKey(site, id []byte) []byte {
	var d xxhash.Digest
	d.Reset()
	d.Write(site)
	d.Write([]byte{0})
	d.Write(id)
	start := len(rs.data)
	rs.data = binary.BigEndian.AppendUint64(rs.data, d.Sum64())
	return rs.data[start:len(rs.data):len(rs.data)]
}

func (rs *records) copy(b []byte) []byte {
	start := len(rs.data)
	rs.data = append(rs.data, b...)
	return rs.data[start:len(rs.data):len(rs.data)]
}

// Key returns the record key of a row of site with visitorID (or, for a
// row without one, its event_id): consumers that join on it, and tests,
// compute it the same way.
func Key(site, visitorID []byte) []byte {
	var rs records
	return rs.appendKey(site, visitorID)
}
