#!/usr/bin/env bash
# Runs the snapshot benchmark on a throwaway server: bench/run.sh [--sizes 1000,5000] [--runs 5]
# The databases are kept in /tmp/pg_lens_bench between runs (building 5,000 tables takes a while).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/install.sh >/dev/null
DATA=${PG_LENS_BENCH_DATA:-/tmp/pg_lens_bench}
PORT=${PG_LENS_BENCH_PORT:-54316}
scripts/server.sh start "$DATA" "$PORT"
export PGHOST="$DATA/sock" PGPORT="$PORT" PGUSER=postgres
python3 bench/snapshot_bench.py "$@"
