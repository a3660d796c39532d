package e2e

import (
	"testing"

	duckdbq "github.com/crumbless/crumbless/internal/duckdb"
)

// duckdb runs sql with DuckDB (internal/duckdb) and returns the rows, so
// the tests read the output exactly the way the README tells data teams to.
func duckdb(t *testing.T, sql string) []map[string]any {
	t.Helper()
	rows, err := duckdbq.Query(sql)
	if err != nil {
		t.Fatalf("DuckDB: %v", err)
	}
	return rows
}

// checkDuckDBReads runs the README's query shape over dir and checks the
// counts and the hive partition columns.
func checkDuckDBReads(t *testing.T, dir string) {
	t.Helper()
	rows := duckdb(t, `SELECT site, type, count(*) AS events, count(DISTINCT visitor_id) AS visitors,
		min(date) AS date, min(hour) AS hour
		FROM read_ndjson('`+dir+`/events/**/*.ndjson.zst', hive_partitioning = true)
		WHERE type IN ('pageview', 'custom', 'vitals')
		GROUP BY site, type ORDER BY type`)
	if len(rows) != 3 {
		t.Fatalf("DuckDB: want a row for custom, pageview and vitals, got %v", rows)
	}
	want := map[string]string{"custom": "1", "pageview": "2", "vitals": "2"}
	for _, r := range rows {
		typ, _ := r["type"].(string)
		if r["site"] != "shop.example" || r["events"] != want[typ] || r["visitors"] != "1" || r["date"] == "" || r["hour"] == "" {
			t.Errorf("DuckDB row %v: want site shop.example, %s events, 1 visitor, date and hour partitions", r, want[typ])
		}
	}
}
