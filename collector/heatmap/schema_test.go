package heatmap

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/collector/row"
)

// TestAggregateSchemaMatchesRows checks that the published schema lists
// exactly the fields of an aggregate row, in order, requires them all,
// and that SCHEMA.md documents each.
func TestAggregateSchemaMatchesRows(t *testing.T) {
	var schema struct {
		Required   []string
		Properties json.RawMessage
	}
	if err := json.Unmarshal(row.HeatmapAggregateSchema, &schema); err != nil {
		t.Fatal(err)
	}
	r := Aggregate{Key: Key{Path: "/", Viewport: "lg", Layer: LayerTarget, Selector: "#buy"}, X: 1, Y: 2, Count: 3, Visitors: 5}
	fields := objectKeys(t, AppendAggregateRow(nil, "example.com", day, 5, &r))
	if props := objectKeys(t, schema.Properties); !slices.Equal(props, fields) || !slices.Equal(schema.Required, fields) {
		t.Errorf("schema properties %v, required %v; row fields %v", props, schema.Required, fields)
	}
	doc, err := os.ReadFile("../row/SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	_, aggDoc, _ := strings.Cut(string(doc), "### Aggregate rows")
	for _, f := range fields {
		if !strings.Contains(aggDoc, "| `"+f+"` |") {
			t.Errorf("SCHEMA.md has no row for aggregate field %q", f)
		}
	}
	_, rawDoc, _ := strings.Cut(string(doc), "### Raw rows")
	for _, f := range []string{"layer", "selector", "cells", "bot_score", "bot_reasons"} {
		if !strings.Contains(rawDoc, "| `"+f+"` |") {
			t.Errorf("SCHEMA.md has no row for raw field %q", f)
		}
	}
}

// objectKeys returns the top-level keys of a JSON object, in order.
func objectKeys(t *testing.T, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil && err != io.EOF {
			t.Fatal(err)
		}
	}
	return keys
}
