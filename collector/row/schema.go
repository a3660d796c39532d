package row

import _ "embed"

// JSONSchema is the JSON Schema (draft 2020-12) of a row at SchemaVersion.
//
//go:embed schema/event-v1.schema.json
var JSONSchema []byte

// HeatmapRawSchema is the JSON Schema of a raw heatmap row (an event row
// of type heatmap), and HeatmapAggregateSchema that of a heatmap
// aggregate row; package collector/heatmap reads and writes them.
var (
	//go:embed schema/heatmap-raw-v1.schema.json
	HeatmapRawSchema []byte
	//go:embed schema/heatmap-aggregate-v1.schema.json
	HeatmapAggregateSchema []byte
)
