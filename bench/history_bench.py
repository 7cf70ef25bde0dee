#!/usr/bin/env python3
"""Time travel and verification with a long history, in-server times in one session.

On a copy of the gen_schema.py database, writes --rows drift rows (COMMENT ON statements,
in transactions of 1,000), then times inside one psql session, each query --runs times,
interleaved, medians:
  lens_snapshot(ARRAY['app'])            the live snapshot
  lens_snapshot_at(latest)               the newest captured state (walked back: no replay)
  lens_snapshot_at(middle)               a state halfway, before and after keyframes every
                                         1,000 rows (what lens_verify() run periodically leaves)
  lens_verify()                          replays from the newest keyframe, reads the live schema
Only pg_column_size() of each result leaves the server, so what is timed is the work, not
shipping megabytes of text.

usage: bench/history_bench.py [--size 5000] [--rows 20000] [--runs 5]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, psql  # noqa: E402


def timings(db, queries, runs):
    """Runs each query `runs` times interleaved in one session; returns {name: [ms]}."""
    lines = ["\\timing on"]
    for r in range(runs):
        for name, sql in queries:
            lines.append(f"\\echo CASE {name}")
            lines.append(sql + ";")
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db], input="\n".join(lines) + "\n",
                         text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True).stdout
    result, current = {}, None
    for line in out.splitlines():
        if line.startswith("CASE "):
            current = line[5:]
        m = re.match(r"Time: ([0-9.]+) ms", line)
        if m and current:
            result.setdefault(current, []).append(float(m.group(1)))
            current = None
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    template = ensure_db(args.size)
    db = f"lens_history_{args.size}"
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", "-c", f"CREATE DATABASE {db} TEMPLATE {template}")
    for start in range(0, args.rows, 1000):
        n = min(1000, args.rows - start)
        script = "BEGIN;\n" + "".join(f"COMMENT ON TABLE app.t{(start + i) % args.size:05d} IS 'revision {start + i}';\n"
                                      for i in range(n)) + "COMMIT;\n"
        psql(db, stdin=script)
    rows = psql(db, "-c", "SELECT count(*) FROM lens_drift").stdout.strip()
    latest = psql(db, "-c", "SELECT max(id) FROM lens_drift").stdout.strip()
    middle = psql(db, "-c", "SELECT min(id) + (max(id) - min(id)) / 2 FROM lens_drift").stdout.strip()
    before = timings(db, [("lens_snapshot", "SELECT pg_column_size(lens_snapshot(ARRAY['app']))"),
                          ("lens_snapshot_at(latest)", f"SELECT pg_column_size(lens_snapshot_at({latest}::bigint))"),
                          ("lens_snapshot_at(middle), no keyframe", f"SELECT pg_column_size(lens_snapshot_at({middle}::bigint))")],
                     args.runs)
    verify = timings(db, [("lens_verify() (first: replays all, writes a keyframe)", "SELECT lens_verify()->>'rowsReplayed'")], 1)
    # what the periodic job leaves: a keyframe every 1,000 rows or so
    psql(db, "-c", "SELECT lens_keyframe(id) FROM lens_drift WHERE id % 1000 = 0 ORDER BY id")
    after = timings(db, [("lens_verify() (a keyframe at the newest row)", "SELECT lens_verify()->>'rowsReplayed'"),
                         ("lens_snapshot_at(middle), keyframes", f"SELECT pg_column_size(lens_snapshot_at({middle}::bigint))")],
                    args.runs)
    all_times = {**before, **verify, **after}
    m = {k: statistics.median(v) for k, v in all_times.items()}
    print(f"\n## history of {rows} drift rows on {args.size} tables, in-server ms, median of {args.runs} (one session)")
    for k, v in m.items():
        print(f"  {k:<55} {v:9.1f}")
    print(f"  lens_snapshot_at(latest) / lens_snapshot              {m['lens_snapshot_at(latest)'] / m['lens_snapshot']:6.2f}x  (target <= 1.5x)")
    stored = psql(db, "-c", "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c "
                            "WHERE c.relname IN ('lens_snapshots') AND c.relkind = 'r'").stdout.strip()
    keyframes = psql(db, "-c", "SELECT count(*) FROM lens_snapshots WHERE source = 'keyframe'").stdout.strip()
    print(f"  keyframes: {keyframes}; lens_snapshots holds {stored} (baseline and keyframes)")
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
