package record

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
)

// Spooler is what ingest writes consent records to in the collector: it
// appends them, without their chain fields, to the spool as one
// consent-kind record and returns once they are on disk, so that a 2xx
// means the records survive a crash. The Writer chains them from there.
type Spooler struct {
	spool sink.Appender
	now   func() time.Time
	bufs  sync.Pool // *[]byte
}

// NewSpooler returns a Spooler appending to spool; now nil means time.Now.
func NewSpooler(spool sink.Appender, now func() time.Time) *Spooler {
	if now == nil {
		now = time.Now
	}
	return &Spooler{spool: spool, now: now}
}

// Write appends one record per input, each with a new record id.
func (s *Spooler) Write(ctx context.Context, site []byte, ins []Input) error {
	if len(ins) == 0 {
		return nil
	}
	bp, _ := s.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer s.bufs.Put(bp)
	now := s.now()
	buf := (*bp)[:0]
	for i := range ins {
		buf = appendBody(buf, site, newID(), now, &ins[i])
	}
	*bp = buf
	rec := sink.Record{Kind: sink.KindConsent, Site: site, ReceivedAt: now, Rows: buf, Events: len(ins)}
	if err := s.spool.Append(ctx, &rec); err != nil {
		return fmt.Errorf("spooling consent records: %w", err)
	}
	return nil
}
