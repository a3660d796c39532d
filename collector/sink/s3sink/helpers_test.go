package s3sink

import (
	"bytes"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/klauspost/compress/zstd"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/sinktest"
)

const (
	testBucket = "analytics"
	testPrefix = "crumbless/v1"
)

// server is an in-process S3-compatible server (gofakes3 with its
// in-memory backend) speaking HTTP S3 over TLS, with one bucket. It can be
// stopped and started again on the same address, keeping its objects.
type server struct {
	*httptest.Server
	backend   *s3mem.Backend
	handler   http.Handler
	transport http.RoundTripper // trusts the server's certificate
	parts     atomic.Int64      // multipart upload parts received
}

func startServer(t *testing.T) *server {
	return startServerWith(t, nil)
}

// startServerWith starts a server whose requests go through wrap first.
func startServerWith(t *testing.T, wrap func(http.Handler) http.Handler) *server {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	s := &server{backend: be}
	var h http.Handler = gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	if wrap != nil {
		h = wrap(h)
	}
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Query().Has("partNumber") {
			s.parts.Add(1)
		}
		h.ServeHTTP(w, r)
	})
	s.start(t, "127.0.0.1:0")
	s.transport = s.Client().Transport
	t.Cleanup(func() { s.Close() })
	return s
}

// start serves on addr.
func (s *server) start(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listening on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(s.handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS handshakes cut short at Close
	srv.StartTLS()
	s.Server = srv
}

// restart starts the server again, on the address it had, after Close.
func (s *server) restart(t *testing.T) {
	s.start(t, s.Listener.Addr().String())
}

// config returns a sink configuration for the server.
func (s *server) config(t *testing.T) Config {
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Endpoint: u.Host, Bucket: testBucket, Prefix: testPrefix, Region: "us-east-1",
		AccessKey: "test-access", SecretKey: "test-secret", PartSize: MinPartSize,
		Transport: s.transport, Logger: slog.New(slog.DiscardHandler)}
}

func openSink(t *testing.T, cfg Config) *Sink {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// client returns a client of its own for reading the bucket back.
func (s *server) client(t *testing.T) *minio.Client {
	cfg := s.config(t)
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: true, Transport: cfg.Transport, Region: cfg.Region})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// keys lists every object name under the prefix, sorted.
func (s *server) keys(t *testing.T) []string {
	t.Helper()
	var keys []string
	for o := range s.client(t).ListObjects(t.Context(), testBucket, minio.ListObjectsOptions{Prefix: testPrefix + "/", Recursive: true}) {
		if o.Err != nil {
			t.Fatalf("listing the bucket: %v", o.Err)
		}
		keys = append(keys, o.Key)
	}
	slices.Sort(keys)
	return keys
}

// get downloads one object.
func (s *server) get(t *testing.T, key string) []byte {
	t.Helper()
	o, err := s.client(t).GetObject(t.Context(), testBucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatalf("getting %s: %v", key, err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	return b
}

// rows downloads and decompresses every object under the prefix and
// returns its rows with the kind its name says.
func (s *server) rows(t *testing.T) []sinktest.Row {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var rows []sinktest.Row
	for _, key := range s.keys(t) {
		kind := kindOf(t, key)
		raw, err := dec.DecodeAll(s.get(t, key), nil)
		if err != nil {
			t.Fatalf("decompressing %s: %v", key, err)
		}
		if len(raw) > 0 && !bytes.HasSuffix(raw, []byte("\n")) {
			t.Errorf("%s does not end in a newline", key)
		}
		for line := range strings.Lines(string(raw)) {
			rows = append(rows, sinktest.Row{Kind: kind, Line: strings.TrimSuffix(line, "\n")})
		}
	}
	return rows
}

// kindOf returns the kind whose directory key is in.
func kindOf(t *testing.T, key string) sink.Kind {
	dir, _, _ := strings.Cut(strings.TrimPrefix(key, testPrefix+"/"), "/")
	for k := sink.KindEvents; k.Valid(); k++ {
		if k.String() == dir {
			return k
		}
	}
	t.Fatalf("object %s is not under a kind's directory", key)
	return 0
}
