#!/usr/bin/env bash
# Runs the snapshot benchmark on a throwaway server: bench/run.sh [--sizes 1000,5000] [--runs 5]
# The databases are kept in /tmp/pg_lens_bench between runs (building 5,000 tables takes a while).
# PG_LENS_PG: the major (14-18, default 15), its server and its client programs (psql,
# pg_dump) first on the PATH; a data directory per major.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install.sh >/dev/null
export PG_LENS_PG=${PG_LENS_PG:-15}
pg_config=$(scripts/pg.sh "$PG_LENS_PG")
export PATH="$("$pg_config" --bindir):$PATH" LD_LIBRARY_PATH="$("$pg_config" --libdir)"
if [ "$PG_LENS_PG" = 15 ]; then DATA=${PG_LENS_BENCH_DATA:-/tmp/pg_lens_bench}; else DATA=${PG_LENS_BENCH_DATA:-/tmp/pg_lens_bench_$PG_LENS_PG}; fi
PORT=${PG_LENS_BENCH_PORT:-54316}
scripts/server.sh start "$DATA" "$PORT"
export PGHOST="$DATA/sock" PGPORT="$PORT" PGUSER=postgres
python3 bench/snapshot_bench.py "$@"
