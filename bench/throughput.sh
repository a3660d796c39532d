#!/usr/bin/env bash
# Collector throughput next to a no-op fasthttp handler, measured in one run:
# each server pinned to core 0 with GOMAXPROCS=1, the load generator on core 1,
# 20-event batches (plain JSON, fresh event ids in every request: the
# collector drops ids it has seen) over CONNS connections for DURATION,
# loopback only. Two loads per server: as fast as it answers (capacity), then
# an open-loop RATE events/s (latency at a steady load; DESIGN.md's budget is
# p99 < 5 ms at 100,000 events/s per core). Afterwards the rows in the
# collector's files must equal the events it acknowledged (exit 1 otherwise).
#
#   bench/throughput.sh                 # DURATION=10s CONNS=64 RATE=100000
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
RATE=${RATE:-100000}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/crumbless" ./collector/cmd/crumbless
go build -o "$tmp/noopserver" ./bench/cmd/noopserver
go build -o "$tmp/loadgen" ./bench/cmd/loadgen
printf 'limits:\n  network_rate: 0\n  site_rate: 0\nsites:\n  - id: shop.example\n    origins: ["http://localhost:3000"]\n' > "$tmp/crumbless.yaml"

command -v taskset >/dev/null || { echo "throughput: taskset (util-linux) is needed to pin cores" >&2; exit 1; }
command -v zstd >/dev/null || { echo "throughput: zstd is needed to count the rows written" >&2; exit 1; }

# start NAME CMD... : starts a server on core 0 and sets $url from its log.
start() {
	local name=$1; shift
	GOMAXPROCS=1 taskset -c 0 "$@" 2>"$tmp/$name.log" &
	pid=$!
	for _ in $(seq 100); do
		url=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$tmp/$name.log" | head -1)
		[ -n "$url" ] && return 0
		sleep 0.1
	done
	echo "throughput: $name did not start:" >&2; cat "$tmp/$name.log" >&2; exit 1
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=; }

load() { GOMAXPROCS=1 taskset -c 1 "$tmp/loadgen" -url "$url/e" -conns "$CONNS" -duration "$DURATION" "$@"; }

start noop "$tmp/noopserver" -listen 127.0.0.1:0
noop=$(load); noop_rate=$(load -rate "$RATE"); stop
start collector "$tmp/crumbless" serve -listen 127.0.0.1:0 -config "$tmp/crumbless.yaml" -data "$tmp/data"
full=$(load); full_rate=$(load -rate "$RATE")
duplicates=$(curl -s "$url/metrics" | sed -n 's/^crumbless_events_duplicate_total \([0-9]*\).*/\1/p' || true)
stop # SIGTERM: every open file is completed
rows=$(find "$tmp/data/events" -name '*.ndjson.zst' -exec zstd -dcq {} + | wc -l)

eps() { sed -n 's/.* events_per_s=\([0-9]*\).*/\1/p' <<<"$1"; }
echo "noop handler,   max:      $noop"
echo "full collector, max:      $full"
awk -v a="$(eps "$full")" -v b="$(eps "$noop")" 'BEGIN { printf "ratio full/noop (events/s at max): %.3f\n", a / b }'
echo "noop handler,   $RATE/s: $noop_rate"
echo "full collector, $RATE/s: $full_rate"
acked=$(( $(sed -n 's/.* acked_events=\([0-9]*\).*/\1/p' <<<"$full") + $(sed -n 's/.* acked_events=\([0-9]*\).*/\1/p' <<<"$full_rate") ))
echo "collector: events acknowledged (2xx, warm-ups included) $acked, rows in its files $rows, dropped as duplicates ${duplicates:-?}"
[ "$rows" -eq "$acked" ] || { echo "throughput: rows written differ from events acknowledged" >&2; exit 1; }
