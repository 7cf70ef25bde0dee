#!/usr/bin/env python3
"""lens_snapshot against its output floor (issue 11): the same jsonb selected from a table,
in one psql session with \\timing, cases interleaved, medians.

Both cases ship the snapshot to psql (output to /dev/null): jsonb_out prints the same text
for both, so the ratio is what building the snapshot costs over handing it out. The stored
copy is refreshed first, so both are the same bytes.

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
from snapshot_bench import ensure_db, psql  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    db = ensure_db(args.size)
    queries = {
        "lens_snapshot(ARRAY['app'])": "SELECT lens_snapshot(ARRAY['app'])",
        "SELECT s FROM lens_bench_stored": "SELECT s FROM lens_bench_stored",
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


if __name__ == "__main__":
    main()
