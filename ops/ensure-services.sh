#!/usr/bin/env bash
# Makes a Debian bookworm machine of this project's kind ready for Docent:
# PostgreSQL and Redis reachable (started where installed but stopped) and the
# pgvector extension available. Safe to run again: a second run takes seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"

log() { printf '[ops] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

postgres_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

ensure_postgres() {
  if postgres_ready; then log "PostgreSQL answers on $PGHOST:$PGPORT"; return; fi
  if command -v pg_ctlcluster >/dev/null; then
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do postgres_ready && { log "PostgreSQL is up"; return; }; sleep 1; done
  log "PostgreSQL is not reachable on $PGHOST:$PGPORT"; exit 1
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

ensure_redis() {
  if redis_ready; then log "Redis answers on 127.0.0.1:$REDIS_PORT"; return; fi
  if command -v redis-server >/dev/null; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no
  fi
  for _ in $(seq 1 30); do redis_ready && { log "Redis is up"; return; }; sleep 1; done
  log "Redis is not reachable on 127.0.0.1:$REDIS_PORT"; exit 1
}

ensure_postgres
ensure_redis
bash "$here/install-pgvector.sh"
