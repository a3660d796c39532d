#!/usr/bin/env bash
# Tracker main-thread time over a scripted 30-second session in headless
# Chromium, against the same page without the tag, in the same run.
# Usage: bench/mainthread.sh [-rounds 2] [-interval 1000] [-top 15] [-where 15] [-mouse]
#   [-trace 15 [-trace-cpu] [-trace-v8] [-trace-inside LABEL]] [-trace-load] [-probe a.js,...]
#   [-scrolls=false -clicks=false -views=false] (see bench/cmd/mainthread)
# -mouse also runs the tag with data-mouse (the mouse add-on). With the three
# =false flags the session is 2,000 mouse moves and nothing else (issue 5's
# criterion as worded); by default it also scrolls, clicks and navigates.
# Chromium: CRUMBLESS_CHROMIUM, else chromium on PATH (wasm/e2e/install-chromium.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./bench/cmd/mainthread "$@"
