#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed and prints its path.
# The end-to-end tests need a real browser; `make test` calls this so that a
# green run always means the browser tests ran. Debian's package is used
# because test tools' own browser downloads cannot be reached from CI.
set -euo pipefail

log() { printf 'install-chromium: %s\n' "$*" >&2; }

for c in "${CRUMBLESS_CHROMIUM:-}" chromium chromium-browser google-chrome; do
	[ -n "$c" ] || continue
	if path=$(command -v "$c" 2>/dev/null) && "$path" --version >/dev/null 2>&1; then
		echo "$path"
		exit 0
	fi
done

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null; then sudo "$@"
	else log "need root to install Debian's chromium package: run as root or install sudo"; exit 1
	fi
}

log "installing Debian's chromium package"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
