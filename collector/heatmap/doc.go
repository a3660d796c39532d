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
//   - target: clicks on one element (the event's selector), at their
//     position in the element's box in tenths; "ex.ey:count,…".
//
// Wiring the wire's heatmap kind (kind "heatmap"; texts layer, cells,
// selector) takes a few lines: ingest checks each heatmap event with
// (&Event{Path: e.Path, Viewport: e.Viewport, Layer: e.Layer, Selector:
// e.Selector, Cells: e.Cells}).Validate() (bad_event on error), row writes
// layer, selector and cells after viewport, and the rows of heatmap events
// go to a filesink.Sink opened with RawSinkConfig instead of the events'.
//
// It must not import collector; it imports collector/sink and
// collector/sink/filesink only.
package heatmap
