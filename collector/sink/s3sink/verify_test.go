package s3sink

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/crumbless/crumbless/collector/sink"
)

// TestChecksumRejectsOtherBytes uploads to a server that would store other
// bytes than were sent: gofakes3 keeps the parts of a plain-HTTP upload in
// their signed-chunk encoding. The Content-MD5 sent with each part makes
// the server refuse them, and WriteBatch reports the batch as not stored.
func TestChecksumRejectsOtherBytes(t *testing.T) {
	be := s3mem.New()
	if err := be.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s := openSink(t, Config{Endpoint: u.Host, Bucket: testBucket, Region: "us-east-1", AccessKey: "a", SecretKey: "b",
		Insecure: true, PartSize: MinPartSize})
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &sink.Batch{Records: []sink.Record{bigRecord(t, 1, time.Now(), 9000)}}
	if err := s.WriteBatch(t.Context(), b); err == nil {
		t.Fatal("WriteBatch to a server that got other bytes than were sent = nil, want an error")
	} else {
		t.Log(err)
	}
	objs, err := be.ListBucket(testBucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.Contents) != 0 {
		t.Errorf("%d objects stored from a refused upload", len(objs.Contents))
	}
}

// TestVerifyCatchesLostUpload writes through a server that answers 200 to
// every single-request upload without storing it: the check after the
// upload finds no object and WriteBatch fails.
func TestVerifyCatchesLostUpload(t *testing.T) {
	srv := startServerWith(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == "" {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("ETag", `"0"`)
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	s := openSink(t, srv.config(t))
	if err := s.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &sink.Batch{Records: []sink.Record{{Site: []byte("example.com"), ReceivedAt: time.Now(),
		Rows: []byte("{\"event_id\":\"a\"}\n"), Events: 1, Pos: 1}}}
	err := s.WriteBatch(t.Context(), b)
	if err == nil {
		t.Fatal("WriteBatch through a server that dropped the object = nil, want an error")
	}
	t.Log(err)
}
