#!/usr/bin/env bash
# Builds the mouse add-on's module: build-mouse.sh OUT.wasm (build-module.sh).
exec "$(dirname "$0")/build-module.sh" mouse "$@"
