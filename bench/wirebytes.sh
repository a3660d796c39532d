#!/usr/bin/env bash
# Bytes per pageview inside a batch, raw and gzip, from sdk/wire and from
# real requests captured in headless Chromium. Usage: bench/wirebytes.sh [-browser=false]
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./bench/cmd/wirebytes "$@"
