#!/usr/bin/env bash
# Builds the mouse add-on's module (wasm/cmd/mouse) into OUT.wasm:
#
#   wasm/toolchain/build-mouse.sh sdk/dist/mouse.wasm
#
# The same pipeline as build-tracker.sh (TinyGo with tracker-target.json,
# wasm-ctor-eval, wasm-metadce, wasm-opt -Oz), with the add-on's interface:
# the exports memory, mouse_in, mouse_out and mouse_feed, and no import.
# The output is deterministic, and the build fails if the module could
# allocate (memory.grow).
set -euo pipefail

out=${1:?usage: build-mouse.sh OUT.wasm}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=$("$here/install-tinygo.sh")
features=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && TINYGOROOT="$prefix/root" "$prefix/bin/tinygo" build \
	-target="$here/tracker-target.json" -no-debug -nobounds -opt=z -panic=trap \
	-o "$tmp/1-tinygo.wasm" ./wasm/cmd/mouse)

wasm-ctor-eval "${features[@]}" --ctors=_initialize -o "$tmp/2-ctor.wasm" "$tmp/1-tinygo.wasm" >"$tmp/ctor.log" 2>&1
if ! grep -q 'success on _initialize' "$tmp/ctor.log"; then
	cat "$tmp/ctor.log" >&2
	echo "build-mouse: wasm-ctor-eval could not run _initialize at build time" >&2
	exit 1
fi

cat >"$tmp/graph.json" <<'JSON'
[
	{"name": "memory", "root": true, "export": "memory"},
	{"name": "in", "root": true, "export": "mouse_in"},
	{"name": "out", "root": true, "export": "mouse_out"},
	{"name": "feed", "root": true, "export": "mouse_feed"}
]
JSON
wasm-metadce "${features[@]}" --graph-file "$tmp/graph.json" -o "$tmp/3-dce.wasm" "$tmp/2-ctor.wasm" >"$tmp/dce.log" 2>&1 || {
	cat "$tmp/dce.log" >&2
	exit 1
}

wasm-opt "${features[@]}" -Oz --strip-debug --strip-producers --strip-target-features \
	-o "$tmp/4-opt.wasm" "$tmp/3-dce.wasm"

interface=$(wasm-dis "$tmp/4-opt.wasm" | sed -n 's/^ *(\(import\|export\) \("[^"]*"\( "[^"]*"\)\?\).*/\1 \2/p' | LC_ALL=C sort | tr '\n' ' ')
want='export "memory" export "mouse_feed" export "mouse_in" export "mouse_out" '
if [ "$interface" != "$want" ]; then
	echo "build-mouse: unexpected imports or exports: $interface" >&2
	exit 1
fi

wasm-dis "$tmp/4-opt.wasm" >"$tmp/4-opt.wat"
if grep -q 'memory.grow' "$tmp/4-opt.wat"; then
	echo "build-mouse: the module allocates (memory.grow is linked): find the allocation with" >&2
	echo "  tinygo build -print-allocs=. -target=wasm/toolchain/tracker-target.json ./wasm/cmd/mouse" >&2
	exit 1
fi

mkdir -p "$(dirname "$out")"
cp "$tmp/4-opt.wasm" "$out"
