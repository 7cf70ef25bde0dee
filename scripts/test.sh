#!/usr/bin/env bash
# The whole test suite: installs what is missing, runs the core's unit tests, installs the
# extension into PostgreSQL 15, starts a throwaway server and runs the end-to-end scenarios
# (pgrx-tests/) against it with real sessions and commits.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

LOG=$(mktemp)
echo "== core unit tests"
cargo test -p lens-core --tests 2>&1 | tee -a "$LOG"

echo "== Mermaid's parser for the ER diagram tests (pgrx-tests/mermaid, pinned by its lock file)"
[ -d pgrx-tests/mermaid/node_modules ] || (cd pgrx-tests/mermaid && npm ci --no-audit --no-fund --loglevel=error)

echo "== build and install the extension"
scripts/install.sh

DATA=$(mktemp -d /tmp/pg_lens_test.XXXXXX)
PORT=${PG_LENS_TEST_PORT:-54315}
trap 'scripts/server.sh stop "$DATA" "$PORT"; rm -rf "$DATA"' EXIT
# the extensions tested beside pg_lens that must be preloaded (coexistence.rs); pg_cron
# lives in one database, the one that test creates
PG_LENS_SERVER_OPTS="-c shared_preload_libraries=pgaudit,pg_cron -c cron.database_name=lens_coexist" \
    scripts/server.sh start "$DATA" "$PORT"

echo "== end-to-end scenarios"
PG_LENS_TEST_HOST="$DATA/sock" PG_LENS_TEST_PORT="$PORT" cargo test -p pg_lens_e2e --no-fail-fast --tests -- --test-threads=4 2>&1 | tee -a "$LOG"

# One closing line for the whole suite.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "all suites: %d passed, %d failed\n", p, f }' "$LOG"
rm -f "$LOG"
