#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds and installs pg_lens into
# PostgreSQL 15 (PG_LENS_PG: another major, 14-18), starts a local server, creates the demo
# database (a small bookshop) and shows what pg_lens sees in it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== building and installing pg_lens"
scripts/install.sh
export PG_LENS_PG=${PG_LENS_PG:-15}
# a data directory per major (one made by another major would not start)
if [ "$PG_LENS_PG" = 15 ]; then DATA=${PG_LENS_DEMO_DATA:-/tmp/pg_lens_demo}; else DATA=${PG_LENS_DEMO_DATA:-/tmp/pg_lens_demo_$PG_LENS_PG}; fi
PORT=${PG_LENS_DEMO_PORT:-54317}
scripts/server.sh start "$DATA" "$PORT"
export PGHOST="$DATA/sock" PGPORT="$PORT" PGUSER=postgres
q() { psql -X -q -v ON_ERROR_STOP=1 -d lens_demo "$@"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS lens_demo WITH (FORCE)" -c "CREATE DATABASE lens_demo"
q -f scripts/demo_schema.sql
q -c "CREATE EXTENSION pg_lens"

echo "== drift: the signature before and after one change"
q -c "SELECT lens_signature(ARRAY['shop','billing']) AS before"
q -c "ALTER TABLE shop.books ADD COLUMN published date"
q -c "ALTER TABLE shop.customers RENAME TO clients"
q -c "SELECT lens_signature(ARRAY['shop','billing']) AS after"
echo "== captured by the event trigger: the last two entries of lens_drift"
q -c "SELECT id, role_name, statement, diff->'summary' AS summary FROM lens_drift ORDER BY id DESC LIMIT 2"
q -At -c "SELECT jsonb_pretty(jsonb_build_object('id', id, 'captured_at', captured_at,
        'tables', diff->'tables', 'relationships', diff->'relationships'))
      FROM lens_drift ORDER BY id DESC LIMIT 1"
echo "== the schema as it was before the rename, rebuilt from history"
q -c "SELECT (lens_snapshot_at((SELECT max(id) - 1 FROM lens_drift)) -> 'tables') ? 'shop.customers' AS then_had_customers,
             (lens_snapshot() -> 'tables') ? 'shop.clients' AS now_has_clients,
             lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift))) = lens_signature() AS history_matches_live"
echo "== lens_verify(): history replayed equals the live schema (run it as a periodic job)"
q -c "SELECT v->'ok' AS ok, v->'rowsReplayed' AS rows_replayed, v->'differenceCount' AS differences FROM lens_verify() v"
echo "== risk: which tables are dangerous to delete from"
q -c "SELECT table_key, score, level, jsonb_array_length(blast_radius->'tables') AS tables_reached,
             jsonb_array_length(blockers) AS blockers, reasons->>0 AS first_reason
      FROM lens_risks(ARRAY['shop','billing']) LIMIT 8"
echo; echo "== the snapshot: what is in it"
q -c "SELECT section, jsonb_object_keys_count AS objects FROM (
        SELECT k AS section, (SELECT count(*) FROM jsonb_object_keys(s->k)) AS jsonb_object_keys_count
        FROM lens_snapshot(ARRAY['shop','billing']) s, jsonb_object_keys(s) k
        WHERE jsonb_typeof(s->k) = 'object' AND k NOT IN ('meta', 'constraints')) x ORDER BY 1"
echo "== one table, one column, one relationship, one index"
q -At -c "SELECT jsonb_pretty(jsonb_build_object(
        'meta', (s->'meta') - 'serverVersion'::text,
        'tables.\"shop.orders\"', s->'tables'->'shop.orders',
        'columns.\"shop.order_lines.line_total\"', s->'columns'->'shop.order_lines.line_total',
        'relationships', (SELECT jsonb_agg(k) FROM jsonb_object_keys(s->'relationships') k),
        'indexes.\"shop.orders.orders_open\"', s->'indexes'->'shop.orders.orders_open'))
      FROM lens_snapshot(ARRAY['shop','billing']) s"

echo "== the HTML report (lens_report): overview, tables, risks, lint, diagrams and history"
REPORT=${PG_LENS_DEMO_REPORT:-/tmp/pg_lens_demo_report}
python3 scripts/lens_report.py --db lens_demo --schemas shop,billing --out "$REPORT" >/dev/null
echo "written to $REPORT/report.html: open file://$REPORT/report.html in a browser"

echo "== typed code (lens_codegen): TypeScript, Zod and Rust for the rows; the orders' TypeScript"
CODE=${PG_LENS_DEMO_CODE:-/tmp/pg_lens_demo_code}
for target in typescript:types.ts zod:schemas.ts rust:db.rs; do
    python3 scripts/lens_codegen.py --db lens_demo --schema shop --schema billing --target "${target%%:*}" --out "$CODE/${target#*:}" >/dev/null
done
awk '/^export interface ShopOrders \{/,/^\}/' "$CODE/types.ts"
echo "written to $CODE: types.ts, schemas.ts, db.rs"

echo
echo "The demo database stays up: psql -h $DATA/sock -p $PORT -U postgres lens_demo"
