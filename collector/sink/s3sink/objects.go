package s3sink

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/layout"
)

// object is one group's compressed rows and where they go.
type object struct {
	key  string
	body []byte
	rows int
}

// group is the records of one batch with one kind, site and hour.
type group struct {
	kind   sink.Kind
	site   string
	hour   int64
	recs   []*sink.Record
	first  time.Time
	lo, hi uint64
}

type groupKey struct {
	kind sink.Kind
	site string
	hour int64
}

// objects groups b's records by kind, site and hour and encodes each group
// as one object. Records with a site that cannot be a path element or an
// unknown kind are logged and left out: handing them again would not help.
func (s *Sink) objects(b *sink.Batch) ([]object, error) {
	groups := s.group(b)
	objs := make([]object, 0, len(groups))
	for _, g := range groups {
		o, err := s.encode(g)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// group returns b's groups in the order of their first records.
func (s *Sink) group(b *sink.Batch) []*group {
	var groups []*group
	index := map[groupKey]*group{}
	for i := range b.Records {
		rec := &b.Records[i]
		if len(rec.Rows) == 0 {
			continue
		}
		if !rec.Kind.Valid() || !layout.SafeSite(rec.Site) {
			s.cfg.Logger.Warn("S3 sink: dropping a record with an unknown kind or a site id that cannot be a path",
				"kind", rec.Kind, "site", fmt.Sprintf("%.80q", rec.Site), "pos", rec.Pos)
			continue
		}
		k := groupKey{rec.Kind, string(rec.Site), layout.HourOf(rec.ReceivedAt)}
		g := index[k]
		if g == nil {
			g = &group{kind: k.kind, site: k.site, hour: k.hour, first: rec.ReceivedAt, lo: rec.Pos}
			index[k] = g
			groups = append(groups, g)
		}
		g.add(rec)
	}
	return groups
}

func (g *group) add(rec *sink.Record) {
	g.recs = append(g.recs, rec)
	if rec.ReceivedAt.Before(g.first) {
		g.first = rec.ReceivedAt
	}
	if rec.Pos > 0 && (g.lo == 0 || rec.Pos < g.lo) {
		g.lo = rec.Pos
	}
	g.hi = max(g.hi, rec.Pos)
}

// encode compresses g's rows into one zstd frame and names the object.
func (s *Sink) encode(g *group) (object, error) {
	var buf bytes.Buffer
	digest := xxhash.New()
	enc := s.enc.get(&buf)
	defer s.enc.put(enc)
	rows := 0
	for _, rec := range g.recs {
		digest.Write(rec.Rows)
		if _, err := enc.Write(rec.Rows); err != nil {
			return object{}, fmt.Errorf("compressing rows for S3: %w", err)
		}
		rows += rec.Events
	}
	if err := enc.Close(); err != nil {
		return object{}, fmt.Errorf("compressing rows for S3: %w", err)
	}
	name := objectName(g.first, s.node, digest.Sum64(), g.lo, g.hi)
	key := partitionKey(s.cfg.Prefix, g.kind, g.site, g.hour) + "/" + name
	return object{key: key, body: buf.Bytes(), rows: rows}, nil
}

// encoderPool keeps zstd encoders for reuse across batches.
type encoderPool struct {
	pool sync.Pool
}

func (p *encoderPool) get(dst *bytes.Buffer) *zstd.Encoder {
	if enc, ok := p.pool.Get().(*zstd.Encoder); ok {
		enc.Reset(dst)
		return enc
	}
	enc, err := zstd.NewWriter(dst, zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(fmt.Sprintf("s3sink: zstd options: %v", err)) // the options are constant
	}
	return enc
}

func (p *encoderPool) put(enc *zstd.Encoder) {
	enc.Reset(nil)
	p.pool.Put(enc)
}
