#!/usr/bin/env bash
# lens_snapshot against its output floor, and capture on / off, on several PostgreSQL majors
# in one run (issue 12): bench/majors.sh [--runs 5]   (PG_LENS_BENCH_MAJORS: default "15 18")
# Each major gets its own server and data directory (PG_LENS_BENCH_ROOT, default /tmp; the
# 5,000-table database is built once and kept), its own client programs first on the PATH.
# Prints each major's floor_bench.py and capture_bench.py figures, then a summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
[ "${1:-}" = "--runs" ] && runs=$2
ROOT=${PG_LENS_BENCH_ROOT:-/tmp}
scripts/setup.sh >/dev/null
OUT=$(mktemp)
for major in ${PG_LENS_BENCH_MAJORS:-15 18}; do
    PG_LENS_PG=$major scripts/install.sh >/dev/null
    pg_config=$(scripts/pg.sh "$major")
    data=$ROOT/pg_lens_bench_$major
    port=$((54400 + major))
    PG_LENS_PG=$major scripts/server.sh start "$data" "$port"
    (
        export PATH="$("$pg_config" --bindir):$PATH" LD_LIBRARY_PATH="$("$pg_config" --libdir)"
        export PGHOST="$data/sock" PGPORT="$port" PGUSER=postgres
        echo "### PostgreSQL $major"
        python3 bench/floor_bench.py --size 5000 --runs "$runs"
        python3 bench/capture_bench.py --size 5000 --runs "$runs"
    ) | tee -a "$OUT"
    PG_LENS_PG=$major scripts/server.sh stop "$data" "$port"
done
echo
echo "| major | lens_snapshot / floor | capture on / off, single statements |"
echo "|---|---|---|"
awk '/^### PostgreSQL/ { m = $3 } /lens_snapshot \/ stored SELECT/ { s[m] = $5 } /capture on \/ capture off/ { c[m] = $6 }
     END { for (k in s) printf "| %s | %s | %s |\n", k, s[k], c[k] }' "$OUT" | sort
rm -f "$OUT"
