package ingest

import (
	"bytes"
	"errors"
	"io"
)

// Compression is how a body is encoded, detected from its first bytes.
type Compression uint8

const (
	Raw  Compression = iota // plain JSON
	Gzip                    // RFC 1952: 1f 8b
	Zstd                    // RFC 8878: 28 b5 2f fd
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Detect returns the compression of body from its magic bytes. A JSON
// batch starts with '{' (or white space), which neither magic does.
func Detect(body []byte) Compression {
	switch {
	case bytes.HasPrefix(body, gzipMagic):
		return Gzip
	case bytes.HasPrefix(body, zstdMagic):
		return Zstd
	}
	return Raw
}

var errTooLarge = errors.New("decoded batch over the limit")

// readAtMost reads r to its end into dst[:0] and returns it, or errTooLarge
// as soon as more than limit bytes arrive. dst grows to limit+1 bytes at
// most, so a compression bomb costs no more memory than an honest batch
// of the largest size.
func readAtMost(dst []byte, r io.Reader, limit int) ([]byte, error) {
	dst = dst[:0]
	for {
		if len(dst) == cap(dst) {
			if len(dst) > limit {
				return dst, errTooLarge
			}
			grown := min(max(2*cap(dst), 4<<10), limit+1)
			dst = append(dst, make([]byte, grown-len(dst))...)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		switch {
		case len(dst) > limit:
			return dst, errTooLarge
		case err == io.EOF:
			return dst, nil
		case err != nil:
			return dst, err
		}
	}
}
