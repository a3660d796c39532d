// Package heatmap is the edge side of Crumbless heatmaps: it checks the
// cells a tracker sends, aggregates a day of raw heatmap rows into
// per-cell counts and distinct visitors (withholding every cell seen by
// fewer than k visitors), writes the aggregates to their own partitions,
// and renders them as PNG pictures.
//
// Raw rows (type "heatmap", one per page view, layer and flush) are written
// by the collector under
//
//	DATA/heatmaps/site=SITE/date=YYYY-MM-DD/hour=HH/part-….ndjson.zst
//
// and aggregates under
//
//	DATA/heatmap_aggregates/site=SITE/date=YYYY-MM-DD/part-….ndjson.zst
//
// both through collector/sink/filesink (hidden temporary files, renamed
// once complete). collector/row/SCHEMA.md documents both row shapes.
//
// Layers and their cells (the "cells" text, see Validate):
//
//   - click, move: a grid over the whole document, 50 columns × 100 rows;
//     x = pageX/documentWidth, y = pageY/documentHeight; "col.row:count,…".
//   - scroll: how often each tenth of the document was reached; "bucket:count,…".
//   - target, hover: clicks (target) or movement samples (hover) on one
//     element (the row's selector), at their position in the element's box
//     in tenths; "ex.ey:count,…".
//
// The mouse add-on sends the counts as $heatmap custom events through the
// tracker's queue; collector/ingest (mouse.go) splits each into one raw
// row per layer and element, checks each with Event.Validate (an event
// with a bad row is dropped and counted), and appends the rows to the
// spool as a record of kind heatmaps, which the collector's heatmaps relay
// writes to a filesink.Sink opened with RawSinkConfig.
//
// It must not import collector; it imports collector/sink and
// collector/sink/filesink only.
package heatmap
