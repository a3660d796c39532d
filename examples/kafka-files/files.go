package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/valyala/fastjson"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
	"github.com/crumbless/crumbless/collector/sink/kafkasink"
)

// files are a file sink per kind, in the collector's layout.
type files struct {
	sinks  [3]*filesink.Sink // by sink.Kind
	parser fastjson.Parser
	dirty  bool // rows written since open
}

func openFiles(dir string) (*files, error) {
	f := &files{}
	for kind, c := range [3]filesink.Config{
		sink.KindEvents:  {Subdir: "events"},
		sink.KindHeatmap: {Subdir: "heatmaps"},
		sink.KindConsent: {Subdir: "consent", Daily: true},
	} {
		c.Dir, c.Logger = dir, slog.Default()
		s, err := filesink.Open(c)
		if err != nil {
			return nil, errors.Join(err, f.close())
		}
		f.sinks[kind] = s
	}
	return f, nil
}

// write appends recs to the files, each run of rows of one kind, site and
// received_at as one sink.Record.
func (f *files) write(ctx context.Context, recs []*kgo.Record, kinds map[string]sink.Kind) error {
	var cur sink.Record
	for _, r := range recs {
		kind, ok := kinds[r.Topic]
		if !ok {
			return fmt.Errorf("record from unexpected topic %s", r.Topic)
		}
		site, at := f.siteAndTime(r)
		if cur.Events > 0 && (kind != cur.Kind || !bytes.Equal(site, cur.Site) || !at.Equal(cur.ReceivedAt)) {
			if err := f.append(ctx, &cur); err != nil {
				return err
			}
			cur = sink.Record{}
		}
		cur.Kind, cur.Site, cur.ReceivedAt = kind, site, at
		cur.Rows = append(append(cur.Rows, r.Value...), '\n')
		cur.Events++
	}
	if cur.Events == 0 {
		return nil
	}
	return f.append(ctx, &cur)
}

func (f *files) append(ctx context.Context, rec *sink.Record) error {
	f.dirty = true
	if err := f.sinks[rec.Kind].Append(ctx, rec); err != nil {
		return fmt.Errorf("writing %d rows of %s: %w", rec.Events, rec.Site, err)
	}
	return nil
}

// siteAndTime are the record's site header (the row's site without
// one) and the row's received_at (the record's timestamp, which the Kafka
// output sets to it, without one).
func (f *files) siteAndTime(r *kgo.Record) ([]byte, time.Time) {
	site := header(r, kafkasink.HeaderSite)
	v, err := f.parser.ParseBytes(r.Value)
	if err != nil {
		return site, r.Timestamp
	}
	if site == nil {
		site = bytes.Clone(v.GetStringBytes("site"))
	}
	at, err := time.Parse(time.RFC3339Nano, string(v.GetStringBytes("received_at")))
	if err != nil {
		return site, r.Timestamp
	}
	return site, at
}

func header(r *kgo.Record, key string) []byte {
	for _, h := range r.Headers {
		if h.Key == key {
			return h.Value
		}
	}
	return nil
}

// close completes every file.
func (f *files) close() error {
	var errs []error
	for _, s := range f.sinks {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}
