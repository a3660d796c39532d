package record

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/filesink"
)

// Config configures a Writer.
type Config struct {
	// Dir is the data directory; records go below Dir/consent. Required.
	Dir string
	// RollInterval and FlushInterval are the file sink's; defaults 60s and 1s.
	RollInterval, FlushInterval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings; nil means slog.Default().
	Logger *slog.Logger
	// Metrics receives crumbless_consent_records_total; nil means a private set.
	Metrics *metrics.Set
	// Spooled says the Writer is fed from the spool (collector/sink/spooled,
	// as a sink.Positioned): its files carry spool positions and are
	// written exactly once; temporary files a crash left are removed, since
	// their records are handed again.
	Spooled bool
}

// Writer appends consent records to each site's chain. It is safe for
// concurrent use; records of all sites are written one batch at a time,
// which is plenty: they are written on consent changes, not per event.
//
// The collector feeds it from the spool, as a sink.Positioned: ingest
// appends the records without their chain fields (Spooler), and the
// Writer chains them in spool order as it writes the files. Write chains
// and writes directly, for a Writer that is not fed from the spool.
type Writer struct {
	dir     string
	files   *filesink.Sink
	now     func() time.Time
	log     *slog.Logger
	written *metrics.Counter

	mu    sync.Mutex
	heads map[string]string // site → hash of its last record
	buf   []byte
}

// Open finds where each site's chain ends and opens the files.
func Open(cfg Config) (*Writer, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.NewSet()
	}
	w := &Writer{dir: cfg.Dir, now: cfg.Now, log: cfg.Logger, heads: map[string]string{},
		written: cfg.Metrics.NewCounter("crumbless_consent_records_total")}
	if err := w.loadHeads(cfg.Dir); err != nil {
		return nil, fmt.Errorf("opening consent records: %w", err)
	}
	files, err := filesink.Open(filesink.Config{
		Dir: cfg.Dir, Subdir: Subdir, Daily: true, RollInterval: cfg.RollInterval,
		FlushInterval: cfg.FlushInterval, Now: cfg.Now, Logger: cfg.Logger, Spooled: cfg.Spooled,
		Metrics: metrics.NewSet(), // the event files' metrics are not mixed with these
	})
	if err != nil {
		return nil, fmt.Errorf("opening consent records: %w", err)
	}
	w.files = files
	return w, nil
}

// loadHeads reads the last hash of each site's newest complete file. A
// file it cannot read starts a new segment: the next record's prev_hash is
// Genesis, and Verify reports the break there.
func (w *Writer) loadHeads(dir string) error {
	sites, err := Sites(dir)
	if err != nil {
		return err
	}
	for _, site := range sites {
		files, err := siteFiles(dir, site)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			continue
		}
		newest := files[len(files)-1]
		hash, err := lastHash(newest)
		if err != nil {
			w.log.Warn("cannot read the end of a consent record chain; starting a new segment", "file", newest, "err", err)
			continue
		}
		w.heads[site] = hash
	}
	return nil
}

// Write appends one record per input to site's chain. On error the chain
// is not advanced: the sender retries, and a record that was written
// anyway shows as a break in Verify.
func (w *Writer) Write(ctx context.Context, site []byte, ins []Input) error {
	if len(ins) == 0 {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	head, ok := w.heads[string(site)]
	if !ok {
		head = Genesis
	}
	w.buf = w.buf[:0]
	for i := range ins {
		w.buf, head = appendRecord(w.buf, site, newID(), now, head, &ins[i])
	}
	b := sink.Record{Kind: sink.KindConsent, Site: site, ReceivedAt: now, Rows: w.buf, Events: len(ins)}
	if err := w.files.Append(ctx, &b); err != nil {
		return fmt.Errorf("writing consent records: %w", err)
	}
	w.heads[string(site)] = head
	w.written.Add(len(ins))
	return nil
}

// newID returns a random (version 4) UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
