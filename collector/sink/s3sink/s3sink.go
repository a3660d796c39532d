// Package s3sink is the sink that uploads records to S3-compatible object
// storage (AWS S3, MinIO, R2, Ceph...), in the file sink's layout:
//
//	PREFIX/<kind>/site=SITE/date=YYYY-MM-DD/hour=HH/part-<time>-<node>-<digest>-p<first>-<last>.ndjson.zst
//
// where <kind> is events, heatmaps or consent. Each WriteBatch groups the
// batch's records by kind, site and hour and stores each group as one
// zstd-compressed NDJSON object; the sinks framework's batching
// (sinks.s3.batching: max_bytes, max_wait) decides how large objects get.
// An object's name is a function of its contents and the spool positions
// of its records, so a batch handed again overwrites the same objects
// instead of adding copies. After a restart, though, the framework may cut
// the replayed records into other batches, and so other objects: the sink
// is at-least-once, and readers deduplicate on event_id.
//
// Large objects are uploaded in parts (multipart upload). Each request
// carries a Content-MD5 the server checks the bytes against, and after each
// upload the sink asks the server for the object and checks it holds as
// many bytes as were sent; WriteBatch returns nil only once every object
// of the batch is stored.
//
// It imports collector/sink, never collector.
package s3sink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/crumbless/crumbless/collector/sink"
)

// Defaults for the zero values of Config.
const (
	DefaultPartSize   = 16 << 20
	MinPartSize       = 5 << 20 // S3's smallest part but the last
	MaxPartSize       = 5 << 30
	DefaultMaxRetries = 3
	// uploadsAtOnce is how many objects of one batch are uploaded at once.
	uploadsAtOnce = 4
)

// Config configures a Sink. Endpoint and Bucket are required.
type Config struct {
	// Endpoint is the server's host and optional port, without scheme:
	// s3.eu-central-1.amazonaws.com, minio.internal:9000.
	Endpoint string
	// Bucket must exist; Connect checks it does.
	Bucket string
	// Prefix is prepended to every object name, without a trailing
	// slash; "" stores the kind directories at the bucket's root.
	Prefix string
	// Region is the bucket's region; "" lets the client ask the server.
	Region string
	// AccessKey and SecretKey sign the requests.
	AccessKey, SecretKey string
	// Insecure talks plain HTTP instead of HTTPS.
	Insecure bool
	// PartSize is the size of each part of a multipart upload; an object
	// up to PartSize is uploaded in one request. Default 16 MiB, at least
	// 5 MiB.
	PartSize uint64
	// MaxRetries is how many times the client tries one request before
	// WriteBatch gives up and the framework retries the batch with
	// backoff. Default 3.
	MaxRetries int
	// Transport is the HTTP transport; nil means the client's default.
	Transport http.RoundTripper
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.PartSize == 0 {
		c.PartSize = DefaultPartSize
	}
	if c.MaxRetries <= 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Sink uploads batches to a bucket. It is safe for concurrent use.
type Sink struct {
	cfg    Config
	client *minio.Client
	node   string // random per Sink, so two collectors never pick one name
	enc    encoderPool

	mu        sync.Mutex
	connected bool
	closed    bool
	active    sync.WaitGroup // WriteBatch calls under way
}

var _ sink.Sink = (*Sink)(nil)

// New returns a Sink for cfg, not connected.
func New(cfg Config) (*Sink, error) {
	cfg = cfg.withDefaults()
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("opening S3 sink: endpoint and bucket are required")
	}
	if cfg.PartSize < MinPartSize || cfg.PartSize > MaxPartSize {
		return nil, fmt.Errorf("opening S3 sink: part size %d is outside 5 MiB to 5 GiB", cfg.PartSize)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       !cfg.Insecure,
		Transport:    cfg.Transport,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupAuto,
		MaxRetries:   cfg.MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("opening S3 sink for %s: %w", cfg.Endpoint, err)
	}
	var node [4]byte
	if _, err := rand.Read(node[:]); err != nil {
		return nil, fmt.Errorf("opening S3 sink: drawing node id: %w", err)
	}
	return &Sink{cfg: cfg, client: client, node: hex.EncodeToString(node[:])}, nil
}

// Connect checks that the bucket exists and can be reached with the
// credentials.
func (s *Sink) Connect(ctx context.Context) error {
	if s.isClosed() {
		return sink.ErrClosed
	}
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return fmt.Errorf("connecting to S3 at %s: checking bucket %q: %w", s.cfg.Endpoint, s.cfg.Bucket, err)
	}
	if !ok {
		return fmt.Errorf("connecting to S3 at %s: bucket %q does not exist; create it first", s.cfg.Endpoint, s.cfg.Bucket)
	}
	s.mu.Lock()
	s.connected = true
	s.mu.Unlock()
	return nil
}

// WriteBatch uploads b's records, one object per kind, site and hour, and
// returns once every object is stored and checked.
func (s *Sink) WriteBatch(ctx context.Context, b *sink.Batch) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.active.Done()
	objs, err := s.objects(b)
	if err != nil {
		return err
	}
	if err := s.uploadAll(ctx, objs); err != nil {
		if isNoSuchBucket(err) {
			s.disconnect()
			return fmt.Errorf("%w: %w", sink.ErrNotConnected, err)
		}
		return err
	}
	return nil
}

// Close stops new writes and waits for those under way. Nothing is
// buffered between batches. It is idempotent.
func (s *Sink) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.active.Wait()
	return nil
}

// begin admits one WriteBatch.
func (s *Sink) begin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return sink.ErrClosed
	case !s.connected:
		return fmt.Errorf("writing to S3 bucket %q: %w", s.cfg.Bucket, sink.ErrNotConnected)
	}
	s.active.Add(1)
	return nil
}

func (s *Sink) disconnect() {
	s.mu.Lock()
	s.connected = false
	s.mu.Unlock()
}

func (s *Sink) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// isNoSuchBucket reports whether the server said the bucket is gone: the
// framework then calls Connect again, which says so in the log.
func isNoSuchBucket(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == "NoSuchBucket"
}
