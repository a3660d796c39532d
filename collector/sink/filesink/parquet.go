package filesink

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

// parquetRow is one event row (collector/row, SCHEMA.md) as a Parquet
// row: a column per field, named like the JSON field. A field a row may
// leave out is a pointer (or a nil map or slice), so that it is NULL in
// Parquet where it is missing in NDJSON, and DuckDB reads both files to
// the same values. Objects of strings (props, exp) are Parquet maps and
// consent_reasons a list; times are UTC timestamps in milliseconds. The
// raw heatmap rows' fields (layer … bot_reasons) are here too, as they
// are event rows of type heatmap. TestParquetCoversSchema checks that the
// JSON Schemas have no field without a column.
type parquetRow struct {
	EventID        string            `json:"event_id" parquet:"event_id"`
	Type           string            `json:"type" parquet:"type,dict"`
	Site           string            `json:"site" parquet:"site,dict"`
	TS             time.Time         `json:"ts" parquet:"ts,timestamp(millisecond:local)"`
	ReceivedAt     time.Time         `json:"received_at" parquet:"received_at,timestamp(millisecond:local)"`
	Path           string            `json:"path" parquet:"path"`
	Referrer       *string           `json:"referrer" parquet:"referrer,optional"`
	Title          *string           `json:"title" parquet:"title,optional"`
	Viewport       *string           `json:"viewport" parquet:"viewport,optional,dict"`
	Lang           *string           `json:"lang" parquet:"lang,optional,dict"`
	TZ             *string           `json:"tz" parquet:"tz,optional,dict"`
	Name           *string           `json:"name" parquet:"name,optional"`
	Props          map[string]string `json:"props" parquet:"props,optional"`
	Status         *int64            `json:"status" parquet:"status,optional"`
	UTMSource      *string           `json:"utm_source" parquet:"utm_source,optional"`
	UTMMedium      *string           `json:"utm_medium" parquet:"utm_medium,optional"`
	UTMCampaign    *string           `json:"utm_campaign" parquet:"utm_campaign,optional"`
	UTMTerm        *string           `json:"utm_term" parquet:"utm_term,optional"`
	UTMContent     *string           `json:"utm_content" parquet:"utm_content,optional"`
	Click          *string           `json:"click" parquet:"click,optional"`
	ClickID        *string           `json:"click_id" parquet:"click_id,optional"`
	Channel        *string           `json:"channel" parquet:"channel,optional,dict"`
	Source         *string           `json:"source" parquet:"source,optional"`
	ContentID      *string           `json:"content_id" parquet:"content_id,optional"`
	ContentGroup   *string           `json:"content_group" parquet:"content_group,optional"`
	ContentOrigin  *string           `json:"content_origin" parquet:"content_origin,optional"`
	Exp            map[string]string `json:"exp" parquet:"exp,optional"`
	URL            *string           `json:"url" parquet:"url,optional"`
	Form           *string           `json:"form" parquet:"form,optional"`
	Duration       *int64            `json:"duration" parquet:"duration,optional"`
	Engaged        *int64            `json:"engaged" parquet:"engaged,optional"`
	Scroll         *int64            `json:"scroll" parquet:"scroll,optional"`
	LCP            *int64            `json:"lcp" parquet:"lcp,optional"`
	INP            *int64            `json:"inp" parquet:"inp,optional"`
	CLS            *float64          `json:"cls" parquet:"cls,optional"`
	FCP            *int64            `json:"fcp" parquet:"fcp,optional"`
	TTFB           *int64            `json:"ttfb" parquet:"ttfb,optional"`
	Goal           *string           `json:"goal" parquet:"goal,optional"`
	Stage          *string           `json:"stage" parquet:"stage,optional"`
	Layer          *string           `json:"layer" parquet:"layer,optional"`
	Selector       *string           `json:"selector" parquet:"selector,optional"`
	Cells          *string           `json:"cells" parquet:"cells,optional"`
	Count          *int64            `json:"count" parquet:"count,optional"`
	Page           *string           `json:"page" parquet:"page,optional"`
	Tier           string            `json:"tier" parquet:"tier,dict"`
	ConsentReasons []string          `json:"consent_reasons" parquet:"consent_reasons,optional,list"`
	VisitorID      *string           `json:"visitor_id" parquet:"visitor_id,optional"`
	UID            *string           `json:"uid" parquet:"uid,optional"`
	Browser        *string           `json:"browser" parquet:"browser,optional,dict"`
	OS             *string           `json:"os" parquet:"os,optional,dict"`
	Device         *string           `json:"device" parquet:"device,optional,dict"`
	Automated      *bool             `json:"automated" parquet:"automated,optional"`
	Datacenter     *bool             `json:"datacenter" parquet:"datacenter,optional"`
	Server         *bool             `json:"server" parquet:"server,optional"`
	BotScore       *int64            `json:"bot_score" parquet:"bot_score,optional"`
	BotReasons     *string           `json:"bot_reasons" parquet:"bot_reasons,optional"`
	SchemaVersion  int64             `json:"schema_version" parquet:"schema_version"`
}

// parquetChunk is how many rows are decoded before they are handed to the
// Parquet writer, and parquetRowGroup the most rows in one row group, which
// the writer holds in memory until it is written.
const (
	parquetChunk    = 512
	parquetRowGroup = 64 << 10
)

// writeParquet converts the NDJSON rows of the zstd file src into a new
// Parquet file dst (zstd pages), syncs it and returns what the manifest
// lists of it. A row with a field parquetRow lacks is an error: Parquet
// must not drop data silently.
func writeParquet(src, dst string) (fileStats, error) {
	in, err := os.Open(src)
	if err != nil {
		return fileStats{}, fmt.Errorf("opening %q: %w", src, err)
	}
	defer in.Close()
	dec, err := zstd.NewReader(bufio.NewReader(in), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return fileStats{}, fmt.Errorf("reading %q: %w", src, err)
	}
	defer dec.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileStats{}, fmt.Errorf("creating %q: %w", dst, err)
	}
	st, err := encodeParquet(dec, out)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fileStats{}, fmt.Errorf("converting %q to Parquet: %w", src, err)
	}
	return st, nil
}

// encodeParquet writes the NDJSON rows read from r to w as Parquet.
func encodeParquet(r io.Reader, w io.Writer) (fileStats, error) {
	cw := newCounter(w)
	pw := parquet.NewGenericWriter[parquetRow](cw,
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.CreatedBy("crumbless", "", ""))
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	var st fileStats
	chunk := make([]parquetRow, 0, parquetChunk)
	for {
		chunk = chunk[:0]
		var err error
		for len(chunk) < parquetChunk {
			chunk = append(chunk, parquetRow{})
			if err = d.Decode(&chunk[len(chunk)-1]); err != nil {
				chunk = chunk[:len(chunk)-1]
				break
			}
			st.add(&chunk[len(chunk)-1])
		}
		if _, werr := pw.Write(chunk); werr != nil {
			return fileStats{}, fmt.Errorf("writing rows: %w", werr)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fileStats{}, fmt.Errorf("decoding row %d: %w", st.Rows+1, err)
		}
	}
	if err := pw.Close(); err != nil {
		return fileStats{}, fmt.Errorf("finishing: %w", err)
	}
	st.Bytes, st.SHA256 = cw.n, cw.sum()
	return st, nil
}

// add counts r in st.
func (st *fileStats) add(r *parquetRow) {
	st.Rows++
	st.SchemaVersion = int(r.SchemaVersion)
	st.received(r.ReceivedAt)
}
