package filesink

import "fmt"

// Format is what files a Sink publishes: NDJSON, Parquet, or both.
type Format string

// The formats. The zero value means FormatNDJSON.
const (
	// FormatNDJSON publishes zstd-compressed NDJSON files (.ndjson.zst).
	FormatNDJSON Format = "ndjson"
	// FormatParquet publishes Parquet files (.parquet, zstd pages) of event
	// rows instead: each file is written as NDJSON first and converted
	// when it completes.
	FormatParquet Format = "parquet"
	// FormatBoth publishes both, under the same name but for the extension.
	FormatBoth Format = "both"
)

// Formats lists the valid formats, the default first.
var Formats = []Format{FormatNDJSON, FormatParquet, FormatBoth}

// Check returns an error naming the valid formats when f is not one; ""
// is valid and means FormatNDJSON.
func (f Format) Check() error {
	switch f {
	case "", FormatNDJSON, FormatParquet, FormatBoth:
		return nil
	}
	return fmt.Errorf("%q is not a file format: use ndjson (the default), parquet or both", string(f))
}

func (f Format) ndjson() bool  { return f != FormatParquet }
func (f Format) parquet() bool { return f == FormatParquet || f == FormatBoth }
