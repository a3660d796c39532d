// Runs one SQL query with DuckDB and prints the rows as JSON, one per line.
//   node query.cjs NODE_MODULES_DIR "SELECT ..."
// The tests use it (package internal/duckdb) to read the collector's files
// the way the README tells data teams to.
const path = require('path');
const { DuckDBInstance } = require(path.join(process.argv[2], '@duckdb/node-api'));

(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(process.argv[3]);
  for (const row of reader.getRowObjectsJson()) console.log(JSON.stringify(row));
})().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
