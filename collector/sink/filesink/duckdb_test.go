package filesink

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	eventrow "github.com/crumbless/crumbless/collector/row"
	"github.com/crumbless/crumbless/internal/duckdb"
)

// TestDuckDBReadsBothFormatsAlike writes varied event rows with
// FormatBoth and runs the same queries with DuckDB over the NDJSON files
// and over the Parquet files: the results must be identical. It fails,
// not skips, when DuckDB cannot be installed.
func TestDuckDBReadsBothFormatsAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("runs DuckDB")
	}
	const records = 120
	s, c := openTest(t, Config{Format: FormatBoth, Spooled: true, SchemaVersion: eventrow.SchemaVersion})
	for _, rec := range eventRecords(records) {
		c.Set(rec.ReceivedAt)
		write(t, s, &rec)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	glob := s.cfg.Dir + "/events/*/*/*/*"
	ndjson := fmt.Sprintf("read_ndjson_auto('%s.ndjson.zst', hive_partitioning = true)", glob)
	parquet := fmt.Sprintf("read_parquet('%s.parquet', hive_partitioning = true)", glob)
	for _, q := range duckdbQueries {
		want := query(t, strings.ReplaceAll(q.sql, "SRC", ndjson))
		got := query(t, strings.ReplaceAll(q.sql, "SRC", parquet))
		if len(want) < q.least {
			t.Errorf("%s: %d rows from NDJSON, want at least %d: %v", q.name, len(want), q.least, want)
		}
		if w, g := render(t, want), render(t, got); w != g {
			t.Errorf("%s: Parquet differs from NDJSON\nNDJSON:  %s\nParquet: %s", q.name, w, g)
		}
	}
	total := query(t, "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM "+parquet)
	if n := fmt.Sprint(total[0]["n"]); n != fmt.Sprint(records*3) || fmt.Sprint(total[0]["ids"]) != n {
		t.Errorf("Parquet has %v rows, want %d with distinct ids", total, records*3)
	}
}

// duckdbQueries are what a data team asks; SRC is the table function.
var duckdbQueries = []struct {
	name, sql string
	least     int // rows the NDJSON result must have, so that empty = empty cannot pass
}{
	{"counts by site and type", `SELECT site, type, date, hour, count(*) AS n FROM SRC GROUP BY ALL ORDER BY ALL`, 5 * 8},
	{"distinct visitors", `SELECT site, count(DISTINCT visitor_id) AS visitors, count(visitor_id) AS with_id,
		count(uid) AS uids, count(*) FILTER (WHERE automated) AS automated, count(*) FILTER (WHERE server) AS server
		FROM SRC GROUP BY site ORDER BY site`, 5},
	{"props", `SELECT event_id, name, props['plan'] AS plan, props['step'] AS step, exp['hero'] AS hero
		FROM SRC WHERE props IS NOT NULL OR exp IS NOT NULL ORDER BY event_id`, 100},
	{"props by value", `SELECT props['plan'] AS plan, count(*) AS n FROM SRC WHERE type = 'custom' GROUP BY ALL ORDER BY ALL`, 3},
	{"numeric sums", `SELECT type, sum(duration) AS duration, sum(engaged) AS engaged, sum(scroll) AS scroll,
		sum(lcp) AS lcp, sum(inp) AS inp, round(sum(cls), 3) AS cls, max(cls) AS max_cls, sum(fcp) AS fcp,
		sum(ttfb) AS ttfb, sum(status) AS status, sum(schema_version) AS v FROM SRC GROUP BY type ORDER BY type`, 8},
	{"time", `SELECT min(ts) AS first, max(ts) AS last, max(received_at) AS received,
		count(*) FILTER (WHERE ts >= TIMESTAMP '2026-11-23 19:00:00') AS after
		FROM SRC`, 1},
	// Every column but the objects, which DuckDB reads from NDJSON as
	// structs and from Parquet as maps: their values are compared above.
	{"rows by event_id", `SELECT * EXCLUDE (date, hour, props, exp), props IS NULL AS no_props, exp IS NULL AS no_exp
		FROM SRC ORDER BY event_id`, 360},
	{"nulls", `SELECT count(title) AS title, count(lang) AS lang, count(props) AS props, count(exp) AS exp,
		count(consent_reasons) AS reasons, count(click_id) AS click_id, count(goal) AS goal, count(browser) AS browser,
		count(*) FILTER (WHERE referrer = '') AS no_referrer FROM SRC`, 1},
}

func query(t *testing.T, sql string) []duckdb.Row {
	t.Helper()
	rows, err := duckdb.Query(sql)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// render returns rows as JSON, leaving out the columns that are NULL in
// every row: the NDJSON reader has no column for a field no row has
// (bot_score), the Parquet file has one, always NULL.
func render(t *testing.T, rows []duckdb.Row) string {
	t.Helper()
	used := map[string]bool{}
	for _, r := range rows {
		for k, v := range r {
			used[k] = used[k] || v != nil
		}
	}
	var out []map[string]any
	for _, r := range rows {
		kept := map[string]any{}
		for k, v := range r {
			if used[k] {
				kept[k] = v
			}
		}
		out = append(out, kept)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
