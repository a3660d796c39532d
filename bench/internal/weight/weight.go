// Package weight measures how many bytes an asset costs on the wire.
package weight

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// Sizes of one asset, or a sum of several.
type Sizes struct {
	Raw, Gzip, Brotli int
}

// Add returns the sum of s and o.
func (s Sizes) Add(o Sizes) Sizes {
	return Sizes{s.Raw + o.Raw, s.Gzip + o.Gzip, s.Brotli + o.Brotli}
}

// Measure compresses b the way a CDN would at its best settings.
func Measure(b []byte) Sizes {
	var gz, br bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(b)
	bw.Close()
	return Sizes{Raw: len(b), Gzip: gz.Len(), Brotli: br.Len()}
}
