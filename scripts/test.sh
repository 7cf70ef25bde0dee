#!/usr/bin/env bash
# The whole test suite: installs what is missing, runs the core's unit tests, then for each
# PostgreSQL major builds and installs the extension, starts a throwaway server and runs the
# end-to-end scenarios (pgrx-tests/) against it with real sessions and commits.
#   scripts/test.sh                  every major: the whole suite on 15 and 18, the snapshot
#                                    oracle, capture and round-trip scenarios on 14, 16, 17
#   PG_LENS_PG=18 scripts/test.sh    one major, the whole suite (PG_LENS_SUITE=core: the
#                                    oracle, capture and round-trip scenarios only)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# major:which scenarios
if [ -n "${PG_LENS_PG:-}" ]; then PLAN=("$PG_LENS_PG:${PG_LENS_SUITE:-all}"); else PLAN=(15:all 18:all 14:core 16:core 17:core); fi
# the scenarios every major runs: what the snapshot reads (the catalog oracle), capture,
# the DDL round trip, and the golden outputs (each major's own where it prints differently)
CORE=(--test snapshot_fields --test capture --test capture_random --test ddl_docs --test corpus --test signature --test golden --test migration)

LOG=$(mktemp)
DIST=$(mktemp -d)   # this version's packages (scripts/package.sh), for the release scenarios
FAILED=()
DATA=""; PORT=""
stop_server() { if [ -n "$DATA" ]; then scripts/server.sh stop "$DATA" "$PORT"; rm -rf "$DATA"; DATA=""; fi; }
trap 'stop_server; rm -rf "$LOG" "$DIST"' EXIT

echo "== core unit tests"
cargo test -p lens-core --tests 2>&1 | tee -a "$LOG"

echo "== Mermaid's parser for the ER diagram tests (pgrx-tests/mermaid, pinned by its lock file)"
[ -d pgrx-tests/mermaid/node_modules ] || (cd pgrx-tests/mermaid && npm ci --no-audit --no-fund --loglevel=error)
echo "== TypeScript and Zod for the typed code tests (pgrx-tests/codegen/ts, pinned by its lock file)"
[ -d pgrx-tests/codegen/ts/node_modules ] || (cd pgrx-tests/codegen/ts && npm ci --no-audit --no-fund --loglevel=error)

for step in "${PLAN[@]}"; do
    major=${step%%:*}; which=${step#*:}
    echo "== PostgreSQL $major: build and install the extension"
    PG_LENS_PG=$major scripts/install.sh
    # the package of the build just made (no second build): the release scenarios install it
    if [ "$which" = all ] && { [ "$major" = 15 ] || [ "$major" = 18 ]; }; then
        scripts/package.sh --major "$major" --out "$DIST/$major" >/dev/null
    fi

    DATA=$(mktemp -d /tmp/pg_lens_test.XXXXXX)
    PORT=${PG_LENS_TEST_PORT:-54315}
    # the extensions tested beside pg_lens that must be preloaded (coexistence.rs) are
    # Debian's, for 15 only; pg_cron lives in one database, the one that test creates
    opts=""
    [ "$major" = 15 ] && opts="-c shared_preload_libraries=pgaudit,pg_cron -c cron.database_name=lens_coexist"
    PG_LENS_PG=$major PG_LENS_SERVER_OPTS="$opts" scripts/server.sh start "$DATA" "$PORT"

    echo "== PostgreSQL $major: end-to-end scenarios ($which)"
    targets=(--tests); [ "$which" = core ] && targets=("${CORE[@]}")
    if ! PG_LENS_TEST_HOST="$DATA/sock" PG_LENS_TEST_PORT="$PORT" \
        cargo test -p pg_lens_e2e --no-fail-fast "${targets[@]}" -- --test-threads=4 2>&1 | tee -a "$LOG"; then
        FAILED+=("$major")
    fi
    stop_server
done

# pg_upgrade from 15 to 18, both built above (pgrx-tests/tests/major_upgrade.rs)
if [[ " ${PLAN[*]} " == *" 15:"* && " ${PLAN[*]} " == *" 18:"* ]]; then
    echo "== pg_upgrade from PostgreSQL 15 to 18"
    # from the relocatable 15.19 (Debian's 15.20 writes column options, pg_attver, that no
    # other build reads: pg_upgrade from it fails, README), with the pg_lens built for 15:
    # a major's minor releases keep the extension ABI
    old=$(scripts/pg.sh 15.19); debian=$(scripts/pg.sh 15)
    cp "$("$debian" --pkglibdir)/pg_lens.so" "$("$old" --pkglibdir)/"
    cp "$("$debian" --sharedir)"/extension/pg_lens* "$("$old" --sharedir)/extension/"
    if ! PG_LENS_UPGRADE_FROM=$old PG_LENS_UPGRADE_TO=$(scripts/pg.sh 18) \
        cargo test -p pg_lens_e2e --test major_upgrade 2>&1 | tee -a "$LOG"; then
        FAILED+=("15->18")
    fi
fi

# Releases (pgrx-tests/tests/extension_update.rs): ALTER EXTENSION UPDATE from every released
# version (RELEASES; each built from its commit in a worktree) on the relocatable 15.19, and
# the packages of 15 and 18 installed into clean servers (18: a copy of its installation)
if [ -d "$DIST/15" ] && [ -d "$DIST/18" ]; then
    echo "== releases: updates from every released version, packages installed into clean servers"
    released=()
    for version in $(awk '!/^#/ && NF { print $1 }' RELEASES); do
        released+=("$(scripts/package.sh --major 15 --release "$version" --out "$DIST/released")")
    done
    relocatable15=$(scripts/pg.sh 15.19)
    clean18=$(mktemp -d /tmp/pg_lens_clean18.XXXXXX)
    cp -a "$(dirname "$(dirname "$(scripts/pg.sh 18)")")/." "$clean18/"
    if ! PG_LENS_UPDATE_PG=$relocatable15 PG_LENS_UPDATE_FROM=$(IFS=,; echo "${released[*]}") \
        PG_LENS_UPDATE_TO=$(ls "$DIST"/15/*.tar.gz) PG_LENS_PACKAGE_PG=$relocatable15 PG_LENS_PACKAGE=$(ls "$DIST"/15/*.tar.gz) \
        cargo test -p pg_lens_e2e --test extension_update -- --test-threads=1 2>&1 | tee -a "$LOG"; then
        FAILED+=("releases-15")
    fi
    if ! PG_LENS_PACKAGE_PG=$clean18/bin/pg_config PG_LENS_PACKAGE=$(ls "$DIST"/18/*.tar.gz) \
        cargo test -p pg_lens_e2e --test extension_update -- a_package 2>&1 | tee -a "$LOG"; then
        FAILED+=("releases-18")
    fi
    rm -rf "$clean18"
fi

# One closing line for the whole suite.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "all suites: %d passed, %d failed\n", p, f }' "$LOG"
if [ ${#FAILED[@]} -gt 0 ]; then echo "failing on PostgreSQL ${FAILED[*]}"; exit 1; fi
