#!/usr/bin/env python3
"""lens_snapshot against its output floor (issue 11): the same jsonb selected from a table,
in one psql session with \\timing, cases interleaved, medians.

Both cases ship the snapshot to psql (output to /dev/null): jsonb_out prints the same text
for both, so the ratio is what building the snapshot costs over handing it out. The stored
copy is refreshed first, so both are the same bytes.

A third case times the seed design's own catalog queries (../shared/bench/seed_queries.sql)
without its size functions, each result printed to text in the server and not shipped: what
reading the catalog costs a client before it builds anything, against the same floor.

usage: bench/floor_bench.py [--size 5000] [--runs 9]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import SHARED, ensure_db, psql  # noqa: E402


def seed_catalog_reads():
    """The seed's catalog queries but the one of relation sizes, as one statement that prints
    every row to text inside the server and returns a number."""
    text = open(os.path.join(SHARED, "seed_queries.sql")).read().replace(":'schemas'", "'{app}'")
    body = "\n".join(l for l in text.splitlines() if not l.startswith(("\\", "--")))
    queries = [q.strip() for q in body.split(";") if "FROM" in q and "relation_size" not in q]
    return "SELECT " + " + ".join(f"(SELECT sum(length(q::text)) FROM ({q}) q)" for q in queries)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    db = ensure_db(args.size)
    queries = {
        "lens_snapshot(ARRAY['app'])": "SELECT lens_snapshot(ARRAY['app'])",
        "SELECT s FROM lens_bench_stored": "SELECT s FROM lens_bench_stored",
        "seed catalog queries, no sizes": seed_catalog_reads(),
    }
    names = list(queries)
    order = random.Random(5)
    plan = []
    for _ in range(args.runs):
        run = names[:]
        order.shuffle(run)
        plan.extend(run)
    # one warm-up of each (plans, caches), then the runs
    script = ["\\o /dev/null", "\\timing on"] + [queries[n] + ";" for n in names] + [queries[n] + ";" for n in plan]
    out = subprocess.run(["psql", "-X", "-q", "-d", db], input="\n".join(script) + "\n", text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    times = [float(x) for x in re.findall(r"^Time: ([0-9.]+) ms", out.stdout, re.M)]
    if len(times) != len(names) + len(plan):
        sys.exit(f"expected {len(names) + len(plan)} timings, got {len(times)}")
    samples = {n: [] for n in names}
    for name, t in zip(plan, times[len(names):]):
        samples[name].append(t)
    m = {n: statistics.median(v) for n, v in samples.items()}
    size = psql(db, "-c", "SELECT pg_column_size(s), length(s::text) FROM lens_bench_stored").stdout.strip()
    print(f"\n## lens_snapshot against its floor: {args.size} tables, one session, median of {args.runs}, ms (stored size, text length: {size})")
    for n in names:
        print(f"  {n:<36} {m[n]:9.1f}")
    ratio = m[names[0]] / m[names[1]]
    print(f"  lens_snapshot / stored SELECT        {ratio:9.2f}x  (target <= 2x, aim 1.5x)")
    seed = m[names[2]] / m[names[1]]
    print(f"  seed's catalog reads / stored SELECT {seed:9.2f}x  (reading alone, nothing built or shipped)")


if __name__ == "__main__":
    main()
