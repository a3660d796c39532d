#!/usr/bin/env bash
# Builds one of the page's WebAssembly modules into OUT.wasm:
#
#   wasm/toolchain/build-module.sh tracker sdk/dist/tracker.wasm [TAGS]
#   wasm/toolchain/build-module.sh mouse sdk/dist/mouse.wasm
#
# tracker is wasm/cmd/tracker (its interface in wasm/ABI.md); mouse is
# wasm/cmd/mouse, the mouse add-on (exports mouse_io, mouse_feed,
# no import). TAGS: extra build tags, e.g. crumbless_replay for the tests'
# replay module.
#
# 1. TinyGo (installed by install-tinygo.sh) with tracker-target.json: a
#    freestanding wasm-unknown module, conservative GC, no scheduler, no libc.
# 2. wasm-ctor-eval runs the runtime's _initialize (heap set-up, package
#    initializers) at build time and bakes its effects into the data, so the
#    module needs no start call and exports no _initialize.
# 3. wasm-metadce keeps only the module's exports (TinyGo's runtime also
#    exports fminimum, fmaximum, ... for libm).
# 4. wasm-opt -Oz and the strip passes, with --low-memory-unused: the stack
#    comes first and grows down from 64 KiB towards 0, so the lowest KiB is
#    never used (no call chain is 63 KiB deep), and a pointer plus a constant
#    can be folded into the access's offset (the tracker 14 bytes lighter,
#    brotli).
# The output is deterministic: the same source and tools give the same bytes.
# The build fails if the interface is not the module's, or if the module
# could allocate (memory.grow).
set -euo pipefail

module=${1:?usage: build-module.sh tracker|mouse OUT.wasm [TAGS]}
out=${2:?usage: build-module.sh tracker|mouse OUT.wasm [TAGS]}
tags=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
features=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals)

# The graph wasm-metadce keeps, and the interface the result must have
# (sorted); wasm/cmd/tracker/imports_test.go checks the tracker's against ABI.md.
case "$module" in
tracker)
	graph='[
	{"name": "memory", "root": true, "export": "memory"},
	{"name": "abi", "root": true, "export": "crumbless_abi"},
	{"name": "buffer", "root": true, "export": "crumbless_buffer"},
	{"name": "feed", "root": true, "export": "crumbless_feed"},
	{"name": "send", "import": ["crumbless", "send"]},
	{"name": "store", "import": ["crumbless", "store"]}
]'
	want='export "crumbless_abi" export "crumbless_buffer" export "crumbless_feed" export "memory" import "crumbless" "send" import "crumbless" "store" '
	;;
mouse)
	graph='[
	{"name": "memory", "root": true, "export": "memory"},
	{"name": "io", "root": true, "export": "mouse_io"},
	{"name": "feed", "root": true, "export": "mouse_feed"}
]'
	want='export "memory" export "mouse_feed" export "mouse_io" '
	;;
*)
	echo "build-module: unknown module $module (tracker or mouse)" >&2
	exit 2
	;;
esac
prefix=$("$here/install-tinygo.sh")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && TINYGOROOT="$prefix/root" "$prefix/bin/tinygo" build \
	-target="$here/tracker-target.json" -tags="$tags" -no-debug -nobounds -opt=z -panic=trap \
	-o "$tmp/1-tinygo.wasm" "./wasm/cmd/$module")

wasm-ctor-eval "${features[@]}" --ctors=_initialize -o "$tmp/2-ctor.wasm" "$tmp/1-tinygo.wasm" >"$tmp/ctor.log" 2>&1
if ! grep -q 'success on _initialize' "$tmp/ctor.log"; then
	cat "$tmp/ctor.log" >&2
	echo "build-module: $module: wasm-ctor-eval could not run _initialize at build time" >&2
	exit 1
fi

printf '%s\n' "$graph" >"$tmp/graph.json"
wasm-metadce "${features[@]}" --graph-file "$tmp/graph.json" -o "$tmp/3-dce.wasm" "$tmp/2-ctor.wasm" >"$tmp/dce.log" 2>&1 || {
	cat "$tmp/dce.log" >&2
	exit 1
}

wasm-opt "${features[@]}" -Oz --low-memory-unused --strip-debug --strip-producers --strip-target-features \
	-o "$tmp/4-opt.wasm" "$tmp/3-dce.wasm"

interface=$(wasm-dis "$tmp/4-opt.wasm" | sed -n 's/^ *(\(import\|export\) \("[^"]*"\( "[^"]*"\)\?\).*/\1 \2/p' | LC_ALL=C sort | tr '\n' ' ')
if [ "$interface" != "$want" ]; then
	echo "build-module: $module: unexpected imports or exports: $interface" >&2
	exit 1
fi

# The modules have no heap (wasm/core/doc.go): TinyGo links its allocator
# and garbage collector only when something allocates, and they grow memory.
wasm-dis "$tmp/4-opt.wasm" >"$tmp/4-opt.wat"
if grep -q 'memory.grow' "$tmp/4-opt.wat"; then
	echo "build-module: $module allocates (memory.grow is linked): find the allocation with" >&2
	echo "  tinygo build -print-allocs=. -target=wasm/toolchain/tracker-target.json ./wasm/cmd/$module" >&2
	exit 1
fi

mkdir -p "$(dirname "$out")"
cp "$tmp/4-opt.wasm" "$out"
