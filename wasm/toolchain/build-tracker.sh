#!/usr/bin/env bash
# Builds the tracker module (wasm/cmd/tracker) into OUT.wasm:
#
#   wasm/toolchain/build-tracker.sh sdk/dist/tracker.wasm
#
# 1. TinyGo (installed by install-tinygo.sh) with tracker-target.json: a
#    freestanding wasm-unknown module, conservative GC, no scheduler, no libc.
# 2. wasm-ctor-eval runs the runtime's _initialize (heap set-up, package
#    initializers) at build time and bakes its effects into the data, so the
#    module needs no start call and exports no _initialize.
# 3. wasm-metadce keeps only the exports of wasm/ABI.md (TinyGo's runtime also
#    exports fminimum, fmaximum, ... for libm).
# 4. wasm-opt -Oz and the strip passes.
# The output is deterministic: the same source and tools give the same bytes.
set -euo pipefail

out=${1:?usage: build-tracker.sh OUT.wasm [TAGS]}
# TAGS: extra build tags, e.g. crumbless_replay for the tests' replay module.
tags=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=$("$here/install-tinygo.sh")
features=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && TINYGOROOT="$prefix/root" "$prefix/bin/tinygo" build \
	-target="$here/tracker-target.json" -tags="$tags" -no-debug -nobounds -opt=z -panic=trap \
	-o "$tmp/1-tinygo.wasm" ./wasm/cmd/tracker)

wasm-ctor-eval "${features[@]}" --ctors=_initialize -o "$tmp/2-ctor.wasm" "$tmp/1-tinygo.wasm" >"$tmp/ctor.log" 2>&1
if ! grep -q 'success on _initialize' "$tmp/ctor.log"; then
	cat "$tmp/ctor.log" >&2
	echo "build-tracker: wasm-ctor-eval could not run _initialize at build time" >&2
	exit 1
fi

cat >"$tmp/graph.json" <<'JSON'
[
	{"name": "memory", "root": true, "export": "memory"},
	{"name": "abi", "root": true, "export": "crumbless_abi"},
	{"name": "buffer", "root": true, "export": "crumbless_buffer"},
	{"name": "feed", "root": true, "export": "crumbless_feed"},
	{"name": "send", "import": ["crumbless", "send"]},
	{"name": "store", "import": ["crumbless", "store"]}
]
JSON
wasm-metadce "${features[@]}" --graph-file "$tmp/graph.json" -o "$tmp/3-dce.wasm" "$tmp/2-ctor.wasm" >"$tmp/dce.log" 2>&1 || {
	cat "$tmp/dce.log" >&2
	exit 1
}

wasm-opt "${features[@]}" -Oz --strip-debug --strip-producers --strip-target-features \
	-o "$tmp/4-opt.wasm" "$tmp/3-dce.wasm"

# A quick guard; wasm/cmd/tracker/imports_test.go checks the lists against ABI.md.
interface=$(wasm-dis "$tmp/4-opt.wasm" | sed -n 's/^ *(\(import\|export\) \("[^"]*"\( "[^"]*"\)\?\).*/\1 \2/p' | LC_ALL=C sort | tr '\n' ' ')
want='export "crumbless_abi" export "crumbless_buffer" export "crumbless_feed" export "memory" import "crumbless" "send" import "crumbless" "store" '
if [ "$interface" != "$want" ]; then
	echo "build-tracker: unexpected imports or exports: $interface" >&2
	exit 1
fi

# The module has no heap (wasm/core/doc.go): TinyGo links its allocator and
# garbage collector only when something allocates, and they grow memory.
wasm-dis "$tmp/4-opt.wasm" >"$tmp/4-opt.wat"
if grep -q 'memory.grow' "$tmp/4-opt.wat"; then
	echo "build-tracker: the module allocates (memory.grow is linked): find the allocation with" >&2
	echo "  tinygo build -print-allocs=. -target=wasm/toolchain/tracker-target.json ./wasm/cmd/tracker" >&2
	exit 1
fi

mkdir -p "$(dirname "$out")"
cp "$tmp/4-opt.wasm" "$out"
