#!/usr/bin/env bash
# The dump workflow (seed 002, PgDumpLens): restore a pg_dump file into a sandbox database,
# let pg_lens look at it, write a report folder, drop the sandbox.
#
#   scripts/dump_report.sh DUMP [DUMP2] [--out DIR] [--keep]
#
# DUMP is a pg_dump file, plain SQL or custom format (-Fc). The report folder (default
# ./lens-report-<dump name>) gets snapshot.json, erd.mmd, erd.dot, erd.svg (when Graphviz is
# there), risks.json, checks.json (when the extension has lens_checks), and report.html (the
# HTML report, lens_report(); large schemas also get tables/, a page per table). With DUMP2, the
# second dump gets its own folder inside (dump2/) and diff.json says what changed from DUMP
# to DUMP2. --keep leaves the sandbox databases for a look (their names are printed).
#
# The server: the one PGHOST / PGPORT / PGUSER point at (pg_lens installed there), else a
# local one started for the purpose (pg_lens built and installed first, as scripts/demo.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
dumps=(); out=""; keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="${2:?--out needs a folder}"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage ;;
        -*) echo "dump_report: unknown option $1" >&2; usage ;;
        *) dumps+=("$1"); shift ;;
    esac
done
[ ${#dumps[@]} -ge 1 ] && [ ${#dumps[@]} -le 2 ] || usage
for d in "${dumps[@]}"; do [ -r "$d" ] || { echo "dump_report: cannot read $d" >&2; exit 2; }; done
out="${out:-./lens-report-$(basename "${dumps[0]}" | sed 's/\.[^.]*$//')}"

if [ -z "${PGHOST:-}" ]; then
    "$ROOT/scripts/setup.sh"
    "$ROOT/scripts/install.sh" >/dev/null
    DATA=${PG_LENS_SANDBOX_DATA:-/tmp/pg_lens_sandbox}
    PORT=${PG_LENS_SANDBOX_PORT:-54318}
    "$ROOT/scripts/server.sh" start "$DATA" "$PORT"
    export PGHOST="$DATA/sock" PGPORT="$PORT" PGUSER=postgres
fi
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

sandboxes=()
cleanup() {
    if [ "$keep" -eq 0 ]; then
        for db in "${sandboxes[@]}"; do q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true; done
    fi
}
trap cleanup EXIT

# Restores one dump into a new sandbox database (appended to sandboxes).
restore() {
    local dump="$1" db="lens_sandbox_$$_${#sandboxes[@]}"
    q -d postgres -c "CREATE DATABASE \"$db\""
    sandboxes+=("$db")
    if [ "$(head -c 5 "$dump")" = "PGDMP" ]; then
        pg_restore --no-owner --no-privileges --exit-on-error -d "$db" "$dump" >&2
    else
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$dump" >/dev/null
    fi
    q -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_lens"
}

# Writes the report of sandbox database $1 into folder $2.
report() {
    local db="$1" dir="$2"
    mkdir -p "$dir"
    q -d "$db" -c "SELECT jsonb_pretty(lens_snapshot())" > "$dir/snapshot.json"
    q -d "$db" -c "SELECT lens_erd(format => 'mermaid')" > "$dir/erd.mmd"
    q -d "$db" -c "SELECT lens_erd(format => 'dot')" > "$dir/erd.dot"
    if command -v dot >/dev/null 2>&1; then
        dot -Tsvg "$dir/erd.dot" -o "$dir/erd.svg"
    fi
    q -d "$db" -c "SELECT jsonb_pretty(coalesce(jsonb_agg(to_jsonb(r)), '[]')) FROM lens_risks() r" > "$dir/risks.json"
    if [ "$(q -d "$db" -c "SELECT to_regproc('lens_report') IS NOT NULL")" = "t" ]; then
        python3 "$ROOT/scripts/lens_report.py" --db "$db" --out "$dir" >/dev/null
    fi
    if [ "$(q -d "$db" -c "SELECT to_regproc('lens_checks') IS NOT NULL")" = "t" ]; then
        q -d "$db" -c "SELECT jsonb_pretty(coalesce(jsonb_agg(to_jsonb(c)), '[]')) FROM lens_checks() c" > "$dir/checks.json"
    fi
}

restore "${dumps[0]}"
first=${sandboxes[0]}
report "$first" "$out"
if [ ${#dumps[@]} -eq 2 ]; then
    restore "${dumps[1]}"
    second=${sandboxes[1]}
    report "$second" "$out/dump2"
    # both snapshots compared in the first sandbox (other databases: renames are probable);
    # psql reads them from files, as a command line would be too short for large schemas
    tmp=$(mktemp -d)
    q -d "$first" -c "SELECT lens_snapshot()" > "$tmp/a.json"
    q -d "$second" -c "SELECT lens_snapshot()" > "$tmp/b.json"
    printf '%s\n' "\\set a \`cat $tmp/a.json\`" "\\set b \`cat $tmp/b.json\`" \
        "SELECT jsonb_pretty(lens_diff(:'a'::jsonb, :'b'::jsonb));" | q -d "$first" > "$out/diff.json"
    rm -rf "$tmp"
fi
echo "report written to $out"
[ "$keep" -eq 1 ] && echo "sandbox databases kept: ${sandboxes[*]}"
exit 0
