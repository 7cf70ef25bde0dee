#!/usr/bin/env python3
"""Typed code (issue 16): in-server time of lens_codegen for each target on a gen_schema.py
database, against lens_snapshot of the same schema (what lens_codegen reads first: it reads
every schema, so that a column's type in another schema resolves) and lens_docs; one psql
session with \\timing, interleaved, medians; results never shipped (length() in the server).

usage: bench/codegen_bench.py [--size 5000] [--runs 5]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, psql, server_times  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db = ensure_db(args.size)
    queries = {f"lens_codegen {t}": f"SELECT length(lens_codegen(ARRAY['app'], '{t}'))" for t in ("typescript", "zod", "rust")}
    queries["lens_snapshot(NULL)"] = "SELECT pg_column_size(lens_snapshot())"
    queries["lens_docs(ARRAY['app'])"] = "SELECT count(*) FROM lens_docs(ARRAY['app'])"
    m = server_times(db, queries, args.runs, seed=16)
    sizes = {t: int(psql(db, "-c", f"SELECT length(lens_codegen(ARRAY['app'], '{t}'))").stdout) for t in ("typescript", "zod", "rust")}
    print(f"\n## typed code: {args.size} tables, in-server, median of {args.runs} runs, ms")
    for name, t in m.items():
        print(f"  {name:<28} {t:9.1f}")
    for t, n in sizes.items():
        print(f"  {t} output: {n / 1e6:.1f} MB, {m[f'lens_codegen {t}'] / m['lens_snapshot(NULL)']:.2f}x lens_snapshot")


if __name__ == "__main__":
    main()
