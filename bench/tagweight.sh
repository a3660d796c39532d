#!/usr/bin/env bash
# Tag weight of the committed sdk/dist, as served. Usage: bench/tagweight.sh
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./bench/cmd/tagweight
