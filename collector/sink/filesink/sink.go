package filesink

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/VictoriaMetrics/metrics"
	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/layout"
)

// Sink writes batches into partitioned files. It is safe for concurrent use.
type Sink struct {
	cfg  Config
	root string // Dir/Subdir
	node string // random per Sink, so two collectors never pick one name
	seq  atomic.Uint64
	log  *slog.Logger

	mu       sync.Mutex
	parts    map[partKey]*partition
	encoders []*zstd.Encoder // idle, for reuse
	closed   bool
	rolling  sync.WaitGroup // partitions detached but not yet complete

	stop      chan struct{}
	loopDone  chan struct{}
	closeOnce sync.Once
	closeErr  error

	positions // spool positions, under mu

	manMu     sync.Mutex               // taken before mu, never after
	manifests map[string]*openManifest // by partition directory, under manMu

	rowsWritten, bytesWritten, filesRolled, writeErrors, skipped *metrics.Counter
	open                                                         atomic.Int64
	connected                                                    atomic.Bool
}

// partKey finds an open partition: xxhash of the site id, and the hour.
// The partition's own site is compared too, so a hash collision costs a
// roll, never a mix-up.
type partKey struct {
	site uint64
	hour int64
}

var (
	_ sink.Positioned = (*Sink)(nil)
	_ sink.Appender   = (*Sink)(nil)
)

// Open creates the directory (so a data directory that cannot be written
// fails at start-up, not at the first batch), finishes what a crash left
// (recoverFiles: Parquet files, manifests), removes or warns about the
// temporary files left, and starts the flush loop.
func Open(cfg Config) (*Sink, error) {
	if cfg.Dir == "" {
		return nil, errors.New("opening file sink: no directory given")
	}
	cfg = cfg.withDefaults()
	var node [4]byte
	if _, err := rand.Read(node[:]); err != nil {
		return nil, fmt.Errorf("opening file sink: drawing node id: %w", err)
	}
	s := &Sink{
		cfg:       cfg,
		root:      filepath.Join(cfg.Dir, cfg.Subdir),
		node:      hex.EncodeToString(node[:]),
		log:       cfg.Logger,
		parts:     make(map[partKey]*partition),
		manifests: make(map[string]*openManifest),
		stop:      make(chan struct{}),
		loopDone:  make(chan struct{}),
	}
	if err := cfg.Format.Check(); err != nil {
		return nil, fmt.Errorf("opening file sink: %w", err)
	}
	if err := os.MkdirAll(s.root, 0o755); err != nil {
		return nil, fmt.Errorf("opening file sink: creating %q: %w", s.root, err)
	}
	if err := s.recoverFiles(); err != nil {
		return nil, fmt.Errorf("opening file sink: %w", err)
	}
	s.register(cfg.Metrics)
	if cfg.Spooled {
		if err := s.loadPublished(); err != nil {
			return nil, fmt.Errorf("opening file sink: %w", err)
		}
	} else {
		warnLeftovers(s.log, s.root)
	}
	go s.loop()
	return s, nil
}

func (s *Sink) register(set *metrics.Set) {
	s.rowsWritten = set.NewCounter("crumbless_file_row_bytes_total")
	s.bytesWritten = set.NewCounter("crumbless_file_written_bytes_total")
	s.filesRolled = set.NewCounter("crumbless_files_completed_total")
	s.writeErrors = set.NewCounter("crumbless_file_write_errors_total")
	s.skipped = set.NewCounter("crumbless_file_replayed_batches_skipped_total")
	set.NewGauge("crumbless_files_open", func() float64 { return float64(s.open.Load()) })
}

// Connect checks that the directory can be written; Open created it.
// WriteBatch before Connect returns sink.ErrNotConnected; Append, for an
// owner that writes to the sink directly, needs no Connect.
func (s *Sink) Connect(context.Context) error {
	probe, err := os.CreateTemp(s.root, tmpPrefix+"probe-")
	if err != nil {
		return fmt.Errorf("connecting file sink: %w", err)
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return fmt.Errorf("connecting file sink: %w", err)
	}
	s.connected.Store(true)
	return nil
}

// WriteBatch appends b's records in order (see Append); it stops at the
// first error.
func (s *Sink) WriteBatch(ctx context.Context, b *sink.Batch) error {
	if !s.connected.Load() {
		return sink.ErrNotConnected
	}
	for i := range b.Records {
		if err := s.Append(ctx, &b.Records[i]); err != nil {
			return err
		}
	}
	return nil
}

// Append appends b's rows to the file of its site and hour, opening one
// if needed, in one locked call. Rows reach the disk within the flush
// interval, and a complete file within the roll interval. When the record
// fills its file, Append completes the file and returns that error too:
// the sender retries, and readers deduplicate on event_id.
func (s *Sink) Append(_ context.Context, b *sink.Record) error {
	if !layout.SafeSite(b.Site) {
		s.writeErrors.Inc()
		return fmt.Errorf("writing batch for site %q: %w", b.Site, ErrBadSite)
	}
	hour := bucketOf(b.ReceivedAt, s.cfg.Daily)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return sink.ErrClosed
	}
	full, err := s.writeLocked(b, hour)
	s.mu.Unlock()
	if err != nil {
		s.writeErrors.Inc()
		return fmt.Errorf("writing batch for site %q: %w", b.Site, err)
	}
	if full != nil {
		return s.complete(full)
	}
	return nil
}

// writeLocked writes b and returns its partition, detached, if it is full.
func (s *Sink) writeLocked(b *sink.Record, hour int64) (full *partition, err error) {
	key := partKey{xxhash.Sum64(b.Site), hour}
	if b.Pos > 0 && s.publishedLocked(key, b.Site, b.Pos) {
		s.last = max(s.last, b.Pos)
		s.skipped.Inc()
		return nil, nil
	}
	p, err := s.partitionLocked(key, b)
	if err != nil {
		return nil, err
	}
	if err := p.write(b.Rows, b.Events, b.ReceivedAt); err != nil {
		s.abandonLocked(key, p)
		return nil, err
	}
	s.rowsWritten.Add(len(b.Rows))
	if b.Pos > 0 {
		p.lo, p.hi = cmp.Or(p.lo, b.Pos), b.Pos
		s.last = max(s.last, b.Pos)
	}
	if p.rows >= s.cfg.MaxFileBytes {
		return s.detachLocked(key, p), nil
	}
	return nil, nil
}

// partitionLocked returns the open partition for key, opening it if needed.
func (s *Sink) partitionLocked(key partKey, b *sink.Record) (*partition, error) {
	if p, ok := s.parts[key]; ok {
		if p.site == string(b.Site) {
			return p, nil
		}
		// Another site with the same hash: complete its file first.
		go s.complete(s.detachLocked(key, p))
	}
	now := s.cfg.Now()
	name := fileName(now, s.node, s.seq.Add(1))
	enc := s.encoderLocked()
	p, err := openPartition(s.root, string(b.Site), key.hour, s.cfg.Daily, now, name, enc)
	if err != nil {
		s.encoders = append(s.encoders, enc)
		return nil, fmt.Errorf("opening partition: %w", err)
	}
	s.parts[key] = p
	s.open.Add(1)
	return p, nil
}

// encoderLocked returns an idle encoder, or a new one. The encoder options
// keep memory small per open file; errors are impossible with them.
func (s *Sink) encoderLocked() *zstd.Encoder {
	if n := len(s.encoders); n > 0 {
		enc := s.encoders[n-1]
		s.encoders = s.encoders[:n-1]
		return enc
	}
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderConcurrency(1),
		zstd.WithEncoderLevel(zstd.SpeedDefault),
		zstd.WithWindowSize(1<<20))
	if err != nil {
		panic("filesink: constant zstd options rejected: " + err.Error())
	}
	return enc
}
