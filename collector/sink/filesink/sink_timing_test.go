package filesink

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"
)

// BenchmarkFormats writes 600 event rows over 15 partitions and closes the
// sink (which publishes every file, converting to Parquet for "both"), per
// format: the cost of Parquet is the ratio of the two.
func BenchmarkFormats(b *testing.B) {
	recs := eventRecords(200)
	for _, format := range []Format{FormatNDJSON, FormatBoth} {
		b.Run(string(format), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dir, err := os.MkdirTemp(b.TempDir(), "")
				if err != nil {
					b.Fatal(err)
				}
				s, err := Open(Config{Dir: dir, Format: format, FlushInterval: time.Hour,
					Now: func() time.Time { return start }, Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					b.Fatal(err)
				}
				for i := range recs {
					if err := s.Append(b.Context(), &recs[i]); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				os.RemoveAll(dir)
			}
		})
	}
}

// BenchmarkEncodeParquet converts 3000 event rows from NDJSON to Parquet
// in memory: the CPU cost of the conversion without the disk.
func BenchmarkEncodeParquet(b *testing.B) {
	var plain []byte
	for _, r := range eventRecords(1000) {
		plain = append(plain, r.Rows...)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if _, err := encodeParquet(bytes.NewReader(plain), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
