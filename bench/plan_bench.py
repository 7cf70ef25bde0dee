#!/usr/bin/env python3
"""Migration plans (issue 13): in-server time of planning a 20-change migration between two
snapshots of a gen_schema.py database, against lens_diff of the same pair, in one psql
session with \\timing, interleaved, medians.

The 20 changes (made in a transaction that is rolled back, between the two snapshots): 4
added columns, 2 type changes, 2 NOT NULLs, 2 defaults, 2 indexes, 2 checks, 1 FK, 2 column
renames, 1 table rename, 1 new table, 1 dropped index. Queries never ship their result.

usage: bench/plan_bench.py [--size 5000] [--runs 7]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
(migra took 9.7 s for a 4-change diff of a 5,000-table schema, the issue says.)
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, psql, server_times  # noqa: E402

CHANGES = """
ALTER TABLE app.t00011 ADD COLUMN extra1 text;
ALTER TABLE app.t00021 ADD COLUMN extra2 int DEFAULT 7;
ALTER TABLE app.t00031 ADD COLUMN extra3 timestamptz;
ALTER TABLE app.t00041 ADD COLUMN extra4 numeric(10,2);
ALTER TABLE app.t00051 ALTER COLUMN name TYPE varchar(200);
ALTER TABLE app.t00061 ALTER COLUMN name TYPE varchar(300);
ALTER TABLE app.t00071 ALTER COLUMN name SET NOT NULL;
ALTER TABLE app.t00081 ALTER COLUMN name SET NOT NULL;
ALTER TABLE app.t00091 ALTER COLUMN name SET DEFAULT 'n';
ALTER TABLE app.t00101 ALTER COLUMN name SET DEFAULT 'm';
CREATE INDEX bench_ix1 ON app.t00111 (name);
CREATE INDEX bench_ix2 ON app.t00121 (lower(name));
ALTER TABLE app.t00131 ADD CONSTRAINT bench_ck1 CHECK (id > 0);
ALTER TABLE app.t00141 ADD CONSTRAINT bench_ck2 CHECK (id < 1000000000);
ALTER TABLE app.t00151 ADD CONSTRAINT bench_fk FOREIGN KEY (id) REFERENCES app.t00001 (id);
ALTER TABLE app.t00161 RENAME COLUMN name TO remark;
ALTER TABLE app.t00171 RENAME COLUMN name TO remark;
ALTER TABLE app.t00181 RENAME TO t00181_renamed;
CREATE TABLE app.bench_new (id int PRIMARY KEY, t00001_id int REFERENCES app.t00001 (id));
DROP INDEX IF EXISTS app.bench_missing_index;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    db = ensure_db(args.size)
    # the dropped index of the 20th change: made first, so that the change drops something
    psql(db, "-c", "CREATE INDEX IF NOT EXISTS bench_missing_index ON app.t00191 (id)")
    # a: the schema now; b: after the 20 changes (committed, then planned back to a)
    psql(db, stdin=f"""
DROP TABLE IF EXISTS lens_plan_pair;
CREATE TABLE lens_plan_pair AS SELECT lens_snapshot(ARRAY['app']) AS a, NULL::jsonb AS b;
BEGIN;
{CHANGES}
UPDATE lens_plan_pair SET b = lens_snapshot(ARRAY['app']);
COMMIT;
""")
    steps = psql(db, "-c", "SELECT count(*) FROM lens_migration((SELECT a FROM lens_plan_pair), (SELECT b FROM lens_plan_pair))").stdout.strip()
    back = psql(db, "-c", "SELECT lens_migration_script(b, a) FROM lens_plan_pair").stdout
    psql(db, stdin=back)
    same = psql(db, "-c", "SELECT lens_signature(lens_snapshot(ARRAY['app'])) = lens_signature(a) FROM lens_plan_pair").stdout.strip()
    if same != "t":
        sys.exit("the plan back from b did not give a")
    queries = {
        "lens_migration(a, b)": "SELECT count(*) FROM lens_migration((SELECT a FROM lens_plan_pair), (SELECT b FROM lens_plan_pair))",
        "lens_diff(a, b)": "SELECT pg_column_size(lens_diff(a, b)) FROM lens_plan_pair",
        "lens_migration_script(a, b)": "SELECT length(lens_migration_script(a, b)) FROM lens_plan_pair",
    }
    names = list(queries)
    m = server_times(db, queries, args.runs, seed=13)
    print(f"\n## migration plan: {args.size} tables, 20 changes ({steps} rows, and the plan back ran), in-server, median of {args.runs}, ms")
    for n in names:
        print(f"  {n:<30} {m[n]:9.1f}")
    print(f"  plan / diff                    {m['lens_migration(a, b)'] / m['lens_diff(a, b)']:9.2f}x")
    print(f"  lens_migration: {m['lens_migration(a, b)'] / 1000:.3f} s (target < 1 s; migra 9.7 s for 4 changes)")


if __name__ == "__main__":
    main()
