#!/usr/bin/env python3
"""Times DDL with capture off, with capture on, and with the naive event trigger
(../shared/bench/naive_trigger.sql) on a gen_schema.py database, in one run; reports the
history bytes stored per captured statement, and times lens_diff of two snapshots.

usage: bench/capture_bench.py [--size 5000] [--runs 5] [--statements 100]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
Each case runs --statements statements (CREATE TABLE and DROP TABLE, half each) in one psql
session, as a migration tool would, each statement its own transaction. Cases are
interleaved and shuffled per run; medians are reported with ratios from the same run.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import SHARED, ensure_db, psql  # noqa: E402

HISTORY = "('lens_drift', 'lens_snapshots', 'lens_state', 'lens_head', 'lens_values')"


def ddl_script(setting, prefix, statements, extra=""):
    half = statements // 2
    lines = [f"SET lens.capture = {setting};", extra]
    # a realistic table: a key, an FK into the schema, a default, an index
    for i in range(half):
        lines.append(f"CREATE TABLE app.{prefix}_{i} (id bigint PRIMARY KEY, "
                     f"ref_id bigint REFERENCES app.t00001 (id), note text, created_at timestamptz DEFAULT now());")
    for i in range(half):
        lines.append(f"DROP TABLE app.{prefix}_{i};")
    return "\n".join(lines) + "\n"


def timed_script(db, script):
    start = time.perf_counter()
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=script, text=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def history_bytes(db):
    sql = f"SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname IN {HISTORY} AND c.relkind = 'r'"
    return int(psql(db, "-c", sql).stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--statements", type=int, default=100)
    args = ap.parse_args()
    template = ensure_db(args.size)
    db = f"lens_capture_{args.size}"
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", "-c", f"CREATE DATABASE {db} TEMPLATE {template}")
    psql(db, "-c", "DROP EXTENSION IF EXISTS pg_lens CASCADE")
    psql(db, "-c", "CREATE EXTENSION pg_lens")  # the baseline
    ref = psql(db, "-c", "SELECT count(*) FROM pg_constraint WHERE conrelid = 'app.t00001'::regclass AND contype = 'p'")
    if ref.stdout.strip() != "1":
        sys.exit("app.t00001 has no primary key: gen_schema.py changed shape")
    with open(os.path.join(SHARED, "naive_trigger.sql")) as f:
        naive_sql = f.read()
    naive_install = naive_sql
    naive_remove = "DROP EVENT TRIGGER IF EXISTS naive_capture;"

    samples = {"capture off": [], "capture on": [], "naive trigger": []}
    stored = []
    shuffle = random.Random(11)
    for run in range(args.runs):
        names = list(samples)
        shuffle.shuffle(names)
        for name in names:
            prefix = f"bench_{name.split()[0]}_{run}"
            if name == "naive trigger":
                psql(db, stdin=naive_install)
                samples[name].append(timed_script(db, ddl_script("off", prefix, args.statements)))
                psql(db, "-c", naive_remove)
            elif name == "capture on":
                # the cases run with capture off left rows saying so and asked for a resync:
                # one untimed statement performs it before the timed ones
                psql(db, "-c", "CREATE TABLE app.bench_resync (); DROP TABLE app.bench_resync;")
                psql(db, "-c", "VACUUM lens_state, lens_head, lens_drift")
                before = history_bytes(db)
                samples[name].append(timed_script(db, ddl_script("on", prefix, args.statements)))
                stored.append((history_bytes(db) - before) / args.statements)
            else:
                samples[name].append(timed_script(db, ddl_script("off", prefix, args.statements)))
    m = {name: statistics.median(v) for name, v in samples.items()}
    naive_rows = psql(db, "-c", "SELECT count(*), coalesce(sum(pg_column_size(snap)), 0) FROM naive_snapshots").stdout.strip()
    n_rows, naive_total = (int(x) for x in naive_rows.split("|"))
    print(f"\n## capture: {args.statements} statements (CREATE TABLE with PK, FK, default / DROP TABLE) "
          f"on {args.size} tables, median of {args.runs} runs, seconds")
    for name, t in m.items():
        print(f"  {name:<16} {t:8.3f}  ({1000 * t / args.statements:.2f} ms per statement)")
    print(f"  capture on / capture off       {m['capture on'] / m['capture off']:6.2f}x  (target <= 2x)")
    print(f"  naive trigger / capture off    {m['naive trigger'] / m['capture off']:6.2f}x")
    print(f"  history stored per statement   {statistics.median(stored) / 1024:6.2f} KB  (target <= 10 KB; "
          f"runs: {', '.join(f'{s / 1024:.1f}' for s in stored)})")
    if n_rows:
        print(f"  naive trigger stores           {naive_total / n_rows / 1024:6.1f} KB per statement (jsonb, compressed)")

    # lens_diff of two whole-schema snapshots
    psql(db, "-c", "DROP TABLE IF EXISTS lens_bench_pair; CREATE TABLE lens_bench_pair AS "
                   "SELECT lens_snapshot(ARRAY['app']) AS a, NULL::jsonb AS b")
    psql(db, "-c", "ALTER TABLE app.t00002 RENAME TO t_renamed; ALTER TABLE app.t00003 ADD COLUMN extra int; "
                   "CREATE INDEX ON app.t00004 (id); "
                   "UPDATE lens_bench_pair SET b = lens_snapshot(ARRAY['app'])")
    diffs = []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = psql(db, "-c", "SELECT lens_diff(a, b)->'summary' FROM lens_bench_pair").stdout.strip()
        diffs.append(time.perf_counter() - start)
    print(f"\n## lens_diff of two {args.size}-table snapshots: {statistics.median(diffs):.3f} s median of "
          f"{args.runs} (target < 0.5 s); summary {out}")
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
