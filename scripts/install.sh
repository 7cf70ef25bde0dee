#!/usr/bin/env bash
# Builds pg_lens (release) and installs it into PostgreSQL $PG_LENS_PG (14-18; default 15,
# Debian's), fetching that major first if the machine lacks it (scripts/pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
major=${PG_LENS_PG:-15}
pg_config=$(scripts/pg.sh "$major")
# cargo-pgrx picks the feature pgNN from the pg_config's version
cargo pgrx install --release --pg-config "$pg_config" 2>&1 | grep -E "Installing|Finished|error|warning: unused" || true
test -f "$("$pg_config" --sharedir)/extension/pg_lens.control"
