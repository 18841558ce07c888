#!/usr/bin/env bash
# Installs pgvector into the local PostgreSQL when `CREATE EXTENSION vector`
# is not available. Debian bookworm has no pgvector package; trixie's source
# package (0.8.x) builds against bookworm's PostgreSQL. Trixie's sources are
# read through a private apt state so the machine's package set is untouched.
set -euo pipefail
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
log() { printf '[pgvector] %s\n' "$*"; }

available() {
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'" 2>/dev/null | grep -q 1
}

if available; then log "already available"; exit 0; fi
[ "$(id -u)" -eq 0 ] || { log "run as root to install pgvector"; exit 1; }

pg_major="$(psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc 'SHOW server_version_num' | cut -c1-2)"
log "building for PostgreSQL $pg_major"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$pg_major" dpkg-dev make gcc >/dev/null

work="$(mktemp -d)"
chmod 755 "$work"  # apt drops privileges to _apt for downloads
trap 'rm -rf "$work"' EXIT
src_file="$work/trixie-src.sources"
main_sources=/etc/apt/sources.list.d/debian.sources
uris="$(awk '/^URIs:/ && /debian\/?$/ {print $2; exit}' "$main_sources")"
signed_by="$(awk '/^Signed-By:/ {print $2; exit}' "$main_sources")"
[ -n "$uris" ] || uris="$(awk '/^URIs:/ {print $2; exit}' "$main_sources")"
cat >"$src_file" <<SRC
Types: deb-src
URIs: $uris
Suites: trixie
Components: main
Signed-By: $signed_by
SRC
mkdir -p "$work/lists/partial"
apt_opts=(-oDir::Etc::SourceList="$src_file" -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$work/lists")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" source -qq pgvector >/dev/null)
dir="$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
make -s -C "$dir" PG_CONFIG="/usr/lib/postgresql/$pg_major/bin/pg_config" >/dev/null
make -s -C "$dir" PG_CONFIG="/usr/lib/postgresql/$pg_major/bin/pg_config" install >/dev/null
available && log "installed" || { log "install failed"; exit 1; }
