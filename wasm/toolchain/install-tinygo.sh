#!/usr/bin/env bash
# Installs TinyGo (built from source against Debian's LLVM) into a cache
# directory, once, and prints the directory that holds bin/tinygo and root/.
#
#   wasm/toolchain/install-tinygo.sh          # prints e.g. ~/.cache/crumbless/tinygo-v0.41.1
#
# Why from source: the Go module proxy and Debian's packages are what every
# machine that builds Crumbless can reach; TinyGo's release binaries are not.
# Why 0.41.1 and LLVM 19: the newest TinyGo whose dependencies the proxy
# serves, and the newest LLVM Debian 12 ships that it supports.
# Re-running it is cheap: it checks the installed version and returns.
set -euo pipefail

TINYGO_VERSION=${TINYGO_VERSION:-v0.41.1}
LLVM=${LLVM:-19}
CACHE=${CRUMBLESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crumbless}
PREFIX=$CACHE/tinygo-$TINYGO_VERSION

log() { printf 'install-tinygo: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else die "need root to install Debian packages ($*): run as root or install sudo"
	fi
}

need_packages() {
	command -v "clang-$LLVM" >/dev/null && command -v "wasm-ld-$LLVM" >/dev/null &&
		command -v wasm-opt >/dev/null && [ -d "/usr/lib/llvm-$LLVM/include/llvm" ] &&
		[ -e "/usr/lib/llvm-$LLVM/include/clang/Basic/Version.h" ] && return 1
	return 0
}

if need_packages; then
	log "installing LLVM $LLVM, clang, lld and binaryen from Debian"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"llvm-$LLVM-dev" "libclang-$LLVM-dev" "clang-$LLVM" "lld-$LLVM" binaryen >&2 ||
		die "apt-get install failed: see the lines above"
fi

if [ -x "$PREFIX/bin/tinygo" ] && [ -f "$PREFIX/.complete" ] &&
	TINYGOROOT=$PREFIX/root "$PREFIX/bin/tinygo" version 2>/dev/null | grep -q "${TINYGO_VERSION#v}"; then
	echo "$PREFIX"
	exit 0
fi

command -v go >/dev/null || die "go is not on PATH"
log "building TinyGo $TINYGO_VERSION from source into $PREFIX (about a minute)"
# Not `go install …@version`: that asks the proxy for the version list, which it refuses.
src=$(cd / && go mod download -json "github.com/tinygo-org/tinygo@$TINYGO_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -d "$src" ] || die "could not download github.com/tinygo-org/tinygo@$TINYGO_VERSION"

rm -rf "$PREFIX"
mkdir -p "$PREFIX/bin" "$PREFIX/root"
(cd "$src" && CGO_ENABLED=1 go build -trimpath -tags="llvm$LLVM" -o "$PREFIX/bin/tinygo" .) ||
	die "building TinyGo failed"
cp -r "$src/src" "$src/targets" "$PREFIX/root/"
chmod -R u+w "$PREFIX/root"
# src/net is a git submodule the module zip leaves out; the tracker never imports net.
mkdir -p "$PREFIX/root/src/net"
touch "$PREFIX/.complete"
log "done"
echo "$PREFIX"
