package heatmap

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/internal/duckdb"
)

// TestREADMEQueryReadsAggregates runs the README's heatmap query with
// DuckDB over a known day's aggregates: the hottest click cell of the page
// is the one with at least k visitors, and the withheld cells are absent.
func TestREADMEQueryReadsAggregates(t *testing.T) {
	dir := t.TempDir()
	knownDay(t, dir)
	if _, err := AggregateDay(dir, "example.com", day, 5, nil); err != nil {
		t.Fatal(err)
	}
	sql := readmeQuery(t, "-- the ten hottest click cells")
	sql = strings.ReplaceAll(sql, "data/heatmap_aggregates", filepath.Join(dir, AggregateSubdir))
	sql = strings.ReplaceAll(sql, "current_date", "DATE '2026-11-23'")
	sql = strings.ReplaceAll(sql, "'/pricing'", "'/'")
	rows, err := duckdb.Query(sql)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || fmt.Sprintf("%v %v %v %v", rows[0]["x"], rows[0]["y"], rows[0]["clicks"], rows[0]["most_visitors_in_a_day"]) != "3 12 20 5" {
		t.Errorf("rows %#v, want the one cell 3.12 with 20 clicks", rows)
	}
}

// readmeQuery returns the SQL statement of the README that starts with the
// comment first.
func readmeQuery(t *testing.T, first string) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), first)
	if !ok {
		t.Fatalf("README has no query %q", first)
	}
	stmt, _, _ := strings.Cut(rest, ";")
	return first + stmt
}
