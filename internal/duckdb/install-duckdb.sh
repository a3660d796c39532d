#!/usr/bin/env bash
# Installs DuckDB's Node bindings (pinned by package-lock.json here) into a
# cache directory, once, and prints the node_modules directory. The tests
# (package internal/duckdb) read the collector's output with it, as a data
# team would.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CRUMBLESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crumbless}/duckdb-node
if ! cmp -s "$here/package-lock.json" "$cache/package-lock.json" || [ ! -d "$cache/node_modules/@duckdb/node-api" ]; then
	command -v npm >/dev/null || { echo "install-duckdb: npm is missing (apt-get install npm)" >&2; exit 1; }
	rm -rf "$cache" && mkdir -p "$cache"
	cp "$here/package.json" "$here/package-lock.json" "$cache/"
	(cd "$cache" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
echo "$cache/node_modules"
