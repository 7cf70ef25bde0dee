#!/usr/bin/env python3
"""Times lens_snapshot against the seed's queries, pg_dump --schema-only and a plain SELECT
of the same snapshot stored in a table, on ../shared/bench/gen_schema.py schemas, in one run.

usage: bench/snapshot_bench.py [--sizes 1000,5000] [--runs 5]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
Each measurement is a whole psql (or pg_dump) process writing to /dev/null, as a client
would see it; the median of --runs runs is reported, with ratios computed in the same run.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def psql(db, *args, stdin=None, check=True):
    cmd = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, *args]
    return subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=check)


def ensure_db(n):
    db = f"lens_bench_{n}"
    exists = psql("postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{db}'").stdout.strip()
    if not exists:
        print(f"building {db} with gen_schema.py {n} ...", file=sys.stderr)
        psql("postgres", "-c", f"CREATE DATABASE {db}")
        sql = subprocess.run([sys.executable, os.path.join(SHARED, "gen_schema.py"), str(n)],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        psql(db, "-1", stdin=sql)
        psql(db, "-c", "VACUUM ANALYZE")
    psql(db, "-c", "DROP EXTENSION IF EXISTS pg_lens CASCADE")
    psql(db, "-c", "CREATE EXTENSION pg_lens")
    psql(db, "-c", "DROP TABLE IF EXISTS lens_bench_stored; "
                   "CREATE TABLE lens_bench_stored AS SELECT lens_snapshot(ARRAY['app']) AS s")
    return db


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def measure(db, runs):
    base = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db]
    cases = {
        "lens_snapshot": base + ["-c", "SELECT lens_snapshot(ARRAY['app'])"],
        "lens_snapshot exact": base + ["-c", "SELECT lens_snapshot(ARRAY['app'], exact_sizes => true)"],
        "stored snapshot SELECT": base + ["-c", "SELECT s FROM lens_bench_stored"],
        "seed queries": base + ["-f", os.path.join(SHARED, "seed_queries.sql")],
        "pg_dump --schema-only": ["pg_dump", "--schema-only", "-n", "app", "-d", db, "-f", "/dev/null"],
    }
    return medians(cases, runs)


def medians(cases, runs, seed=7):
    """Runs every case (a command line) `runs` times and returns each one's median time.

    Interleaved, so drift on a noisy machine hits every case alike, and shuffled, so no case
    always runs right after the same other one (after pg_dump, a run is slower)."""
    samples = {name: [] for name in cases}
    names = list(cases)
    shuffle = random.Random(seed)
    for _ in range(runs):
        shuffle.shuffle(names)
        for name in names:
            samples[name].append(timed(cases[name]))
    return {name: statistics.median(values) for name, values in samples.items()}


def server_times(db, queries, runs, seed=15):
    """In-server time of each SQL query, median of `runs`: one psql session with \\timing,
    one warm-up of each first (not counted), then the queries interleaved and shuffled."""
    names = list(queries)
    order = random.Random(seed)
    plan = []
    for _ in range(runs):
        run = names[:]
        order.shuffle(run)
        plan.extend(run)
    script = ["\\timing on"] + [queries[n] + ";" for n in names + plan]
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db], input="\n".join(script) + "\n", text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    times = [float(x) for x in re.findall(r"^Time: ([0-9.]+) ms", out.stdout, re.M)]
    if len(times) != len(names) + len(plan):
        sys.exit(f"expected {len(names) + len(plan)} timings, psql printed {len(times)}")
    samples = {n: [] for n in names}
    for name, t in zip(plan, times[len(names):]):
        samples[name].append(t)
    return {n: statistics.median(v) for n, v in samples.items()}


def sql_cases(db, queries):
    """psql command lines for SQL cases, output thrown away."""
    base = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-o", "/dev/null", "-c"]
    return {name: base + [sql] for name, sql in queries.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        db = ensure_db(n)
        size = psql(db, "-c", "SELECT pg_column_size(s) FROM lens_bench_stored").stdout.strip()
        results[n] = measure(db, args.runs)
        r = results[n]
        print(f"\n## {n} tables (snapshot stored as {int(size) / 1e6:.1f} MB of compressed jsonb), median of {args.runs} runs, seconds")
        for name, t in r.items():
            print(f"  {name:<26} {t:8.3f}")
        print(f"  seed queries / lens_snapshot          {r['seed queries'] / r['lens_snapshot']:6.2f}x  (target >= 6x)")
        print(f"  seed queries / lens_snapshot exact    {r['seed queries'] / r['lens_snapshot exact']:6.2f}x  (target >= 2x)")
        print(f"  pg_dump / lens_snapshot               {r['pg_dump --schema-only'] / r['lens_snapshot']:6.2f}x")
        print(f"  lens_snapshot / stored SELECT         {r['lens_snapshot'] / r['stored snapshot SELECT']:6.2f}x  (target <= 2x)")
    if 1000 in results and 5000 in results:
        growth = results[5000]["lens_snapshot"] / results[1000]["lens_snapshot"]
        print(f"\nlens_snapshot 5,000 / 1,000 tables: {growth:.2f}x  (target <= 5.5x)")


if __name__ == "__main__":
    main()
