package spooled

import (
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/compress/s2"
)

// minCompress is the smallest rows worth an S2 block: below it the block's
// own framing eats most of the gain.
const minCompress = 256

// maxRows bounds what a spool record's rows decompress to: a record is at
// most spool.DefaultMaxRecordBytes on disk, and rows are never more than
// this once decoded (the ingest handler's batches are far smaller).
const maxRows = 256 << 20

// maxKeptBuf: a buffer grown past it for a rare large record is not kept.
const maxKeptBuf = 4 << 20

// s2Bufs holds the buffers Queue compresses into; the spool copies the
// record into its group before Queue returns, so a buffer is free again at
// once.
var s2Bufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// compress returns the version byte and the rows to spool: rows as an S2
// block in buf when that is smaller, else rows as they are.
func compress(buf, rows []byte) (byte, []byte) {
	if len(rows) < minCompress {
		return versionPlain, rows
	}
	if n := s2.MaxEncodedLen(len(rows)); cap(buf) < n {
		buf = make([]byte, n)
	}
	block := s2.Encode(buf[:cap(buf)], rows)
	if len(block) >= len(rows) {
		return versionPlain, rows
	}
	return versionS2, block
}

var errBadBlock = errors.New("rows: not a valid S2 block")

// appendRows appends a decoded record's rows to dst, decompressing them
// when they are an S2 block.
func appendRows(dst []byte, rows []byte, compressed bool) ([]byte, error) {
	if !compressed {
		return append(dst, rows...), nil
	}
	n, err := s2.DecodedLen(rows)
	if err != nil || n > maxRows {
		return dst, errBadBlock
	}
	at := len(dst)
	if cap(dst)-at < n {
		grown := make([]byte, at, at+n+at/4)
		copy(grown, dst)
		dst = grown
	}
	if _, err := s2.Decode(dst[at:at+n], rows); err != nil {
		return dst[:at], fmt.Errorf("rows: %w", err)
	}
	return dst[:at+n], nil
}
