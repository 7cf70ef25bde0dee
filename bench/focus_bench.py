#!/usr/bin/env python3
"""Cost follows the question (issue 11): in-server time of asking about one table against a
whole snapshot, measured in one psql session with \\timing, cases interleaved, medians.

Queries never ship their result (pg_column_size / length), so the times are the server's.

usage: bench/focus_bench.py [--size 5000] [--runs 7] [--tables app.t00001,app.t04999]
(gen_schema.py's app.t00001 is referenced, at some depth, by most tables: a delete from it
reaches 2,806 of 5,000; app.t04999 by none.)
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
from snapshot_bench import ensure_db  # noqa: E402


def cases(tables):
    out = {"lens_snapshot() (every schema)": "SELECT pg_column_size(lens_snapshot())"}
    for table in tables:
        t = table.replace("'", "''")
        out[f"lens_snapshot(tables => {table})"] = f"SELECT pg_column_size(lens_snapshot(tables => ARRAY['{t}']))"
        out[f"lens_ddl({table})"] = f"SELECT length(lens_ddl('{t}'))"
        out[f"lens_risk({table})"] = f"SELECT length(lens_risk('{t}')::text)"
        out[f"lens_erd(focus {table}, depth 1)"] = f"SELECT length(lens_erd(NULL, 'mermaid', '{t}', 1))"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--tables", default="app.t00001,app.t04999")
    args = ap.parse_args()
    db = ensure_db(args.size)
    queries = cases(args.tables.split(","))
    names = list(queries)
    order = random.Random(11)
    # one warm-up of each, then the runs shuffled: every case sees the same caches
    script = ["\\timing on"] + [queries[n] + ";" for n in names]
    plan = []
    for _ in range(args.runs):
        run = names[:]
        order.shuffle(run)
        plan.extend(run)
    script += [queries[n] + ";" for n in plan]
    out = subprocess.run(["psql", "-X", "-q", "-d", db], input="\n".join(script) + "\n", text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    times = [float(x) for x in re.findall(r"^Time: ([0-9.]+) ms", out.stdout, re.M)]
    if len(times) != len(names) + len(plan):
        sys.exit(f"expected {len(names) + len(plan)} timings, got {len(times)}:\n{out.stdout[-2000:]}")
    samples = {n: [] for n in names}
    for name, t in zip(plan, times[len(names):]):
        samples[name].append(t)
    m = {n: statistics.median(v) for n, v in samples.items()}
    full = m[names[0]]
    print(f"\n## cost follows the question: {args.size} tables, in-server, median of {args.runs}, ms")
    for n in names:
        if n == names[0]:
            print(f"  {n:<44} {m[n]:9.1f}  (the whole)")
        else:
            print(f"  {n:<44} {m[n]:9.1f}  (1/{full / m[n]:.0f} of the snapshot; target: at most 1/20)")


if __name__ == "__main__":
    main()
