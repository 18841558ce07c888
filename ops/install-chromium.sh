#!/usr/bin/env bash
# Installs Debian's chromium for the explorer's browser test (test/e2e/explorer.test.ts drives it
# with playwright-core). Idempotent: a machine that has /usr/bin/chromium is left as it is.
# Needs root (or sudo) and Debian's package archive; nothing is downloaded from anywhere else.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
log() { printf '[ops] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

if [ -x "$CHROMIUM" ]; then
  log "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

started=$(date +%s)
log "installing Debian's chromium"
# A fresh package list only when apt has none or the install fails on a stale one.
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
log "chromium installed in $(( $(date +%s) - started )) s: $("$CHROMIUM" --version 2>/dev/null)"
