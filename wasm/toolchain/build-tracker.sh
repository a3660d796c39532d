#!/usr/bin/env bash
# Builds the tracker module: build-tracker.sh OUT.wasm [TAGS] (build-module.sh).
exec "$(dirname "$0")/build-module.sh" tracker "$@"
