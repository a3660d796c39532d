package s3sink

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/minio/minio-go/v7"

	"github.com/crumbless/crumbless/collector/sink"
)

// bigRecord returns a record at pos of rows rows of about 1 KiB each that
// do not compress much, so that a few thousand rows make an object of
// several 5 MiB parts.
func bigRecord(t *testing.T, pos uint64, at time.Time, rows int) sink.Record {
	t.Helper()
	rec := sink.Record{Kind: sink.KindEvents, Site: []byte("shop.example.org"), ReceivedAt: at, Events: rows, Pos: pos}
	noise := make([]byte, 750)
	for i := range rows {
		if _, err := rand.Read(noise); err != nil {
			t.Fatal(err)
		}
		rec.Rows = fmt.Appendf(rec.Rows, `{"event_id":"evt-%d-%d","type":"pageview","pad":%q}`+"\n",
			pos, i, base64.StdEncoding.EncodeToString(noise))
	}
	return rec
}

// TestMultipart uploads one object of several parts and reads it back
// byte for byte, under the file sink's layout.
func TestMultipart(t *testing.T) {
	srv := startServer(t)
	s := openSink(t, srv.config(t))
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 22, 5, 9, 0, time.UTC)
	b := &sink.Batch{}
	for i := range 4 {
		b.Records = append(b.Records, bigRecord(t, uint64(101+i), at.Add(time.Duration(i)*time.Minute), 6000))
	}
	// Another hour and another kind: objects of their own.
	b.Records = append(b.Records, sink.Record{Kind: sink.KindEvents, Site: []byte("shop.example.org"),
		ReceivedAt: at.Add(time.Hour), Rows: []byte(`{"event_id":"late"}` + "\n"), Events: 1, Pos: 105})
	b.Records = append(b.Records, sink.Record{Kind: sink.KindConsent, Site: []byte("shop.example.org"),
		ReceivedAt: at, Rows: []byte(`{"event_id":"consent"}` + "\n"), Events: 1, Pos: 106})
	if err := s.WriteBatch(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	keys := srv.keys(t)
	layout := regexp.MustCompile(`^crumbless/v1/(events|consent)/site=shop\.example\.org/date=2026-11-23/hour=(22|23)/` +
		`part-20261123T2[23]0509-[0-9a-f]{8}-[0-9a-f]{16}-p(\d+)-(\d+)\.ndjson\.zst$`)
	want := map[string]string{"events/22": "101-104", "events/23": "105-105", "consent/22": "106-106"}
	if len(keys) != len(want) {
		t.Fatalf("objects %q, want %d", keys, len(want))
	}
	var big string
	for _, k := range keys {
		m := layout.FindStringSubmatch(k)
		if m == nil {
			t.Fatalf("object %s is not in the layout", k)
		}
		if got := m[3] + "-" + m[4]; want[m[1]+"/"+m[2]] != got {
			t.Errorf("object %s holds positions %s, want %s", k, got, want[m[1]+"/"+m[2]])
		}
		if m[1] == "events" && m[2] == "22" {
			big = k
		}
	}

	info, err := srv.client(t).StatObject(t.Context(), testBucket, big, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if parts := srv.parts.Load(); info.Size <= 3*MinPartSize || parts != (info.Size+MinPartSize-1)/MinPartSize {
		t.Errorf("object %s: %d bytes uploaded in %d parts; want more than 3 parts of 5 MiB", big, info.Size, parts)
	}
	raw, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	got, err := raw.DecodeAll(srv.get(t, big), nil)
	if err != nil {
		t.Fatalf("decompressing %s: %v", big, err)
	}
	var sent []byte
	for _, rec := range b.Records[:4] {
		sent = append(sent, rec.Rows...)
	}
	if !bytes.Equal(got, sent) {
		t.Errorf("object %s holds %d bytes of rows that differ from the %d sent", big, len(got), len(sent))
	}
}

// TestRetryOverwrites hands the same batch twice, as the framework does
// after a failure: the second upload replaces the first's objects.
func TestRetryOverwrites(t *testing.T) {
	srv := startServer(t)
	s := openSink(t, srv.config(t))
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 22, 5, 9, 0, time.UTC)
	b := &sink.Batch{Records: []sink.Record{
		{Site: []byte("example.com"), ReceivedAt: at, Rows: []byte("{\"event_id\":\"a\"}\n"), Events: 1, Pos: 7},
		{Site: []byte("example.com"), ReceivedAt: at, Rows: []byte("{\"event_id\":\"b\"}\n"), Events: 1, Pos: 8},
		{Site: []byte("b-2.example"), ReceivedAt: at, Rows: []byte("{\"event_id\":\"c\"}\n"), Events: 1, Pos: 9},
	}}
	for range 2 {
		if err := s.WriteBatch(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	if keys := srv.keys(t); len(keys) != 2 {
		t.Errorf("objects after a batch handed twice: %q, want 2", keys)
	}
	if rows := srv.rows(t); len(rows) != 3 {
		t.Errorf("%d rows after a batch handed twice, want 3", len(rows))
	}
}
