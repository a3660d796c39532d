package heatmap

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// maxLine bounds one row when reading files back.
const maxLine = 1 << 20

// lineReader reads zstd NDJSON files, reusing its decoder and buffer.
type lineReader struct {
	dec *zstd.Decoder
	buf []byte
	// progress, when not nil, is told every compressed byte read.
	progress io.Writer
}

func newLineReader(progress io.Writer) (*lineReader, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, fmt.Errorf("creating a zstd decoder: %w", err)
	}
	return &lineReader{dec: dec, buf: make([]byte, 64<<10), progress: progress}, nil
}

func (r *lineReader) Close() { r.dec.Close() }

// each calls f with every line of the file at path. The line is valid only
// during the call.
func (r *lineReader) each(path string, f func(line []byte)) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer file.Close()
	var src io.Reader = file
	if r.progress != nil {
		src = io.TeeReader(file, r.progress)
	}
	if err := r.dec.Reset(src); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	sc := bufio.NewScanner(r.dec)
	sc.Buffer(r.buf, maxLine)
	for sc.Scan() {
		f(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}
