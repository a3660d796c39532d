#!/usr/bin/env bash
# Collector throughput next to a no-op fasthttp handler and the floor of
# durable ingest, measured in one run, then a soak of the collector.
#
# Servers, each pinned to core 0 with GOMAXPROCS=1 (the load generator on
# core 1, loopback only):
#   noop      bench/cmd/noopserver: reads the request, answers 204
#   floor     bench/cmd/floorserver -sync group: gunzips the body, appends it
#             to a file, answers 204 once a group commit (write + one fsync per
#             group, as the collector's spool) covers it. The 40 % criterion.
#   floor-nosync  the same without fsync (buffered append, answered at once)
#   collector the full collector, rate limits off
# Bodies: 20-event gzip batches with fresh event ids, POOL of them built by
# loadgen before the clock (the same generator for every server; noop and
# floor get -reuse, which sends them again if a run outlasts them: they do
# not look at ids). Loads per server: as fast as it answers (capacity), then
# open loops at each of RATES events/s (latency at a steady load, measured
# from when each request was due; the budget is p99 < 5 ms at 64
# connections). ROUNDS rounds, the servers interleaved.
# Then SOAK of a fresh collector at SOAK_RATE events/s (bodies compressed as
# they go, nothing repeats), its VmRSS sampled every SAMPLE seconds. After
# each collector the rows in its files must equal the events it
# acknowledged (exit 1 otherwise).
#
#   bench/throughput.sh    # DURATION=10s CONNS=64 RATES="20000 100000" ROUNDS=2 POOL=100000 SOAK=300 SOAK_RATE=20000 SAMPLE=5
#   SOAK=0 bench/throughput.sh   # no soak
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
RATES=${RATES:-20000 100000}
ROUNDS=${ROUNDS:-2}
POOL=${POOL:-100000}
SOAK=${SOAK:-300}
SOAK_RATE=${SOAK_RATE:-20000}
SAMPLE=${SAMPLE:-5}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

command -v taskset >/dev/null || { echo "throughput: taskset (util-linux) is needed to pin cores" >&2; exit 1; }
command -v zstd >/dev/null || { echo "throughput: zstd is needed to count the rows written" >&2; exit 1; }

go build -o "$tmp/crumbless" ./collector/cmd/crumbless
go build -o "$tmp/noopserver" ./bench/cmd/noopserver
go build -o "$tmp/floorserver" ./bench/cmd/floorserver
go build -o "$tmp/loadgen" ./bench/cmd/loadgen
printf 'limits:\n  network_rate: 0\n  site_rate: 0\nsites:\n  - id: shop.example\n    origins: ["http://localhost:3000"]\n' > "$tmp/crumbless.yaml"

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
# measure NAME FLAGS...: the loads against $url, one row each; sets $eps (max).
measure() {
	local name=$1 out r; shift
	out=$(load -duration "$DURATION" -pool "$POOL" "$@"); row "r$round" "$name" max "$out"
	eps=$(field events_per_s "$out"); acked=$(field acked_events "$out")
	for r in $RATES; do
		out=$(load -duration "$DURATION" -pool "$POOL" -rate "$r" "$@"); row "r$round" "$name" "$r/s" "$out"
		acked=$((acked + $(field acked_events "$out")))
	done
}

load() { GOMAXPROCS=1 taskset -c 1 "$tmp/loadgen" -url "$url/e" -conns "$CONNS" -gzip "$@" 2>>"$tmp/loadgen.log"; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
row() { printf '%-6s %-13s %-8s events/s %9s  p50 %7s ms  p99 %8s ms  live_gzip %s reused %s\n' \
	"$1" "$2" "$3" "$(field events_per_s "$4")" "$(field p50_ms "$4")" "$(field p99_ms "$4")" "$(field live_gzip "$4")" "$(field reused "$4")"; }

# collector_check DATA ACKED: SIGTERMs the collector and compares the rows in
# its files with the events acknowledged.
collector_check() {
	local duplicates rows metrics
	metrics=$(curl -s "$url/metrics" || true)
	duplicates=$(sed -n 's/^crumbless_events_duplicate_total \([0-9]*\).*/\1/p' <<<"$metrics")
	awk '/^crumbless_spool_appends_total / { a = $2 } /^crumbless_spool_fsyncs_total / { f = $2 }
		END { printf "       collector: spool appends %d, fsyncs %d, records per fsync %.2f\n", a, f, a / (f ? f : 1) }' <<<"$metrics"
	stop # SIGTERM: every open file is completed
	rows=$(find "$1/events" -name '*.ndjson.zst' -exec zstd -dcq {} + | wc -l)
	echo "       collector: events acknowledged (2xx, warm-ups included) $2, rows in its files $rows, dropped as duplicates ${duplicates:-?}"
	[ "$rows" -eq "$2" ] || { echo "throughput: rows written differ from events acknowledged" >&2; exit 1; }
	rm -rf "$1"
}

echo "throughput: $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); DURATION=$DURATION CONNS=$CONNS RATES=\"$RATES\" POOL=$POOL"
for round in $(seq "$ROUNDS"); do
	echo "r$round    load average $(cut -d' ' -f1-3 /proc/loadavg)"
	start noop "$tmp/noopserver" -listen 127.0.0.1:0
	measure noop -reuse; noop_eps=$eps; stop

	for mode in group none; do
		name=floor; [ "$mode" = none ] && name=floor-nosync
		start "$name" "$tmp/floorserver" -listen 127.0.0.1:0 -dir "$tmp/floor" -sync "$mode"
		measure "$name" -reuse; stop
		echo "       $name: $(grep -o 'records=.*' "$tmp/$name.log")"
		if [ "$mode" = group ]; then floor_eps=$eps; else nosync_eps=$eps; fi
		rm -rf "$tmp/floor"
	done

	start collector "$tmp/crumbless" serve -listen 127.0.0.1:0 -config "$tmp/crumbless.yaml" -data "$tmp/data"
	measure collector; full_eps=$eps
	collector_check "$tmp/data" "$acked"

	awk -v f="$full_eps" -v n="$noop_eps" -v g="$floor_eps" -v s="$nosync_eps" -v r="$round" 'BEGIN {
		printf "r%s    ratios (events/s at max): collector/floor %.3f (criterion >= 0.40), collector/floor-nosync %.3f, collector/noop %.3f, floor/noop %.3f\n", r, f / g, f / s, f / n, g / n }'
done

[ "$SOAK" -gt 0 ] || exit 0
# Soak: a fresh collector at SOAK_RATE for SOAK seconds, VmRSS every SAMPLE s.
start collector "$tmp/crumbless" serve -listen 127.0.0.1:0 -config "$tmp/crumbless.yaml" -data "$tmp/data"
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status"; }
start_rss=$(rss)
load -duration "${SOAK}s" -pool 0 -rate "$SOAK_RATE" >"$tmp/soak.out" &
lg=$!
t=0; : >"$tmp/rss"
while kill -0 "$lg" 2>/dev/null; do
	sleep "$SAMPLE"; t=$((t + SAMPLE))
	kill -0 "$lg" 2>/dev/null && echo "$t $(rss)" >>"$tmp/rss"
done
wait "$lg"
soak=$(cat "$tmp/soak.out")
echo "soak   collector     $SOAK_RATE/s for ${SOAK}s: $soak"
echo "soak   VmRSS kB every ${SAMPLE}s (t=0 before load: $start_rss): $(awk '{ printf "%s ", $2 }' "$tmp/rss")"
# Flat: the last minute's peak within 10 % of the peak of the second minute
# (the first minute is warm-up: pools, the seen-set, buffers).
awk -v s="$start_rss" '{ t[NR] = $1; v[NR] = $2; if ($2 > max) max = $2 }
	END { for (i = 1; i <= NR; i++) { if (t[i] > 60 && t[i] <= 120 && v[i] > m2) m2 = v[i]; if (t[i] > t[NR] - 60 && v[i] > ml) ml = v[i] }
	printf "soak   VmRSS kB: before load %d, first sample %d, end %d, max %d; peak of minute 2 %d, of the last minute %d: %s\n",
		s, v[1], v[NR], max, m2, ml, (m2 > 0 && ml <= 1.1 * m2) ? "flat (last minute within 10 % of minute 2)" : "NOT flat, or too short to tell" }' "$tmp/rss"
collector_check "$tmp/data" "$(field acked_events "$soak")"
