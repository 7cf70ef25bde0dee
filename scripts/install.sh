#!/usr/bin/env bash
# Builds pg_lens (release) and installs it into the system PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo pgrx install --release --pg-config /usr/lib/postgresql/15/bin/pg_config 2>&1 | grep -E "Installing|Finished|error|warning: unused" || true
test -f /usr/share/postgresql/15/extension/pg_lens.control
