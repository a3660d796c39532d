#!/usr/bin/env bash
# Delivery under faults: scripted Chromium sessions against the collector,
# behind a fault proxy. Usage: bench/faults.sh [-sessions 200] [-parallel 12] [-seed 1]
# Chromium: CRUMBLESS_CHROMIUM, else chromium on PATH (wasm/e2e/install-chromium.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./bench/cmd/faults "$@"
