package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// duckdb runs sql with DuckDB (its Node bindings, installed by
// duckdb/install-duckdb.sh) and returns the rows, so the tests read the output
// exactly the way the README tells data teams to.
func duckdb(t *testing.T, sql string) []map[string]any {
	t.Helper()
	modules := os.Getenv("CRUMBLESS_DUCKDB")
	if modules == "" {
		out, err := exec.Command("duckdb/install-duckdb.sh").Output()
		if err != nil {
			t.Fatalf("installing DuckDB for the reader check: %v", err)
		}
		modules = strings.TrimSpace(string(out))
	}
	cmd := exec.Command("node", "duckdb/query.cjs", modules, sql)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("DuckDB: %v: %s", err, stderr.String())
	}
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("DuckDB row %s: %v", line, err)
		}
		rows = append(rows, r)
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
