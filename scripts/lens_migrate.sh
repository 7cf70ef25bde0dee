#!/usr/bin/env bash
# The common case of a migration plan: two databases, the SQL that makes the first one's
# schema the second one's, printed as a psql script (stdout).
#
#   scripts/lens_migrate.sh --from DSN --to DSN [--schemas a,b] [--online] [--verify]
#
# --from: the database to change (pg_lens installed there; the plan is made in it).
# --to:   the database whose schema is wanted (pg_lens installed there too: its snapshot).
# --schemas: the schemas to plan, comma-separated (default: every user schema of --to).
# --online: CONCURRENTLY index builds, NOT VALID then VALIDATE, NOT NULL through a CHECK.
# --verify: first runs the plan in --from inside a transaction that is rolled back, and
#   stops (exit 1) unless the result signs as --to does. It takes the plan's locks and does
#   its rewrites: for staging and CI, and only where a superuser may SET lens.verify_allowed.
#
# The script stops at its first error (ON_ERROR_STOP), begins with a guard that stops it on a
# database whose schema is not --from's as it was when planned, says each step's hazards in
# comments and sets each statement's timeouts at session level. Run it with
# psql -d DSN -f plan.sql. DSNs are anything psql -d takes ("dbname=app host=...", a URI).
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
from=""; to=""; schemas=""; online=false; verify=0
while [ $# -gt 0 ]; do
    case "$1" in
        --from) from="${2:?--from needs a DSN}"; shift 2 ;;
        --to) to="${2:?--to needs a DSN}"; shift 2 ;;
        --schemas) schemas="${2:?--schemas needs names}"; shift 2 ;;
        --online) online=true; shift ;;
        --verify) verify=1; shift ;;
        -h|--help) usage ;;
        *) echo "lens_migrate: unknown argument $1" >&2; usage ;;
    esac
done
[ -n "$from" ] && [ -n "$to" ] || usage

# the schemas as a text[] literal, each name passed as a psql variable (never spliced)
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
schema_arg="NULL"
if [ -n "$schemas" ]; then schema_arg="string_to_array(:'schemas', ',')"; fi

target=$(mktemp); trap 'rm -f "$target"' EXIT
echo "SELECT lens_snapshot($schema_arg);" | psql_q -d "$to" -v schemas="$schemas" > "$target"
# the snapshot goes in through a psql variable read from the file (no command-line limit)
in_from() { { echo "\\set target \`cat '$target'\`"; cat; } | psql_q -d "$from" "$@"; }

if [ "$verify" = 1 ]; then
    rows=$(in_from <<'SQL'
SET lens.verify_allowed = on;
SELECT step || ': ' || coalesce(verified, '') FROM lens_migration(:'target'::jsonb, verify => true) ORDER BY step;
SQL
)
    verdict=$(printf '%s\n' "$rows" | tail -n 1 | sed 's/^[0-9]*: //')
    if [ "$verdict" != "signature matches" ]; then
        echo "lens_migrate: the plan does not verify in --from ($verdict):" >&2
        printf '%s\n' "$rows" | grep -v ': ran$' >&2
        exit 1
    fi
fi

in_from -v online="$online" <<'SQL'
SELECT lens_migration_script(lens_migration_source(:'target'::jsonb), :'target'::jsonb, online => :'online'::boolean);
SQL
