package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/heatmap"
	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/sdk/wire"
)

// work is everything one request needs, pooled so that a warm handler
// allocates nothing. Nothing in it outlives the request: the sink copies
// what it keeps.
type work struct {
	parser  wire.Parser
	src     bytes.Reader
	gz      gzip.Reader
	zd      *zstd.Decoder // created on the first zstd body
	decoded []byte
	rows    []byte
	visitor []byte
	reasons []byte
	records []record.Input
	ip      [16]byte
	rc      row.Context
	marks   []row.Mark
	keys    []uint64 // seen-set keys of b.Events, marked in flight
	all     []uint64 // every event's key, warmed before marking
	who     sender
	whoIP   [16]byte               // the sender's address, in its 16-byte form
	client  netip.Addr             // the request's client (collector/clientip), resolved once
	blank   fasthttp.RequestHeader // no headers: a server send's region comes from the forwarded address only
	batch   sink.Record
	// The mouse add-on's events (mouse.go): heatmap rows, a layer's
	// cells, and the batch's bot reasons under bots: flag.
	heat       []byte
	heatRows   int
	heatRec    sink.Record
	hev        heatmap.Event
	cells      []byte
	botReasons []byte
}

// acquireWork returns a work from the Handler's pool (per Handler, since
// its zstd decoder carries the Handler's limit). Pair it with releaseWork.
func (h *Handler) acquireWork() *work {
	if w, ok := h.pool.Get().(*work); ok {
		return w
	}
	return &work{visitor: make([]byte, 0, 16)}
}

// releaseWork returns w to the pool. Do not use w afterwards. A rows
// buffer grown by an unusually large batch is dropped rather than kept.
func (h *Handler) releaseWork(w *work) {
	const keep = 1 << 20
	if cap(w.rows) > keep {
		w.rows = nil
	}
	if cap(w.heat) > keep {
		w.heat = nil
	}
	w.rc, w.batch, w.heatRec, w.hev = row.Context{}, sink.Record{}, sink.Record{}, heatmap.Event{}
	w.who = sender{} // drop references into the request
	clear(w.marks)
	w.marks = w.marks[:0]
	clear(w.records) // drop references into the request
	w.records = w.records[:0]
	h.pool.Put(w)
}

// decompress returns the decoded body: body itself when raw, or w.decoded.
func (h *Handler) decompress(w *work, body []byte) ([]byte, error) {
	limit := h.cfg.MaxDecodedBytes
	w.src.Reset(body)
	switch Detect(body) {
	case Gzip:
		if err := w.gz.Reset(&w.src); err != nil {
			return nil, fmt.Errorf("reading gzip header: %w", err)
		}
		var err error
		w.decoded, err = readAtMost(w.decoded, &w.gz, limit)
		return w.decoded, decodeError(err)
	case Zstd:
		if err := h.resetZstd(w); err != nil {
			return nil, err
		}
		var err error
		w.decoded, err = readAtMost(w.decoded, w.zd, limit)
		return w.decoded, decodeError(err)
	}
	if len(body) > limit {
		return nil, errTooLarge
	}
	return body, nil
}

// decodeError maps a decoder's error: a frame that declares more than the
// limits allow is too large; anything else is bad compression.
func decodeError(err error) error {
	switch {
	case err == nil || err == errTooLarge:
		return err
	case errors.Is(err, zstd.ErrDecoderSizeExceeded), errors.Is(err, zstd.ErrWindowSizeExceeded):
		return errTooLarge
	}
	return fmt.Errorf("decompressing: %w", err)
}

func (h *Handler) resetZstd(w *work) error {
	if w.zd == nil {
		zd, err := zstd.NewReader(nil, h.zstdOpts...)
		if err != nil {
			return fmt.Errorf("creating zstd decoder: %w", err)
		}
		w.zd = zd
	}
	if err := w.zd.Reset(&w.src); err != nil {
		return decodeError(err)
	}
	return nil
}
