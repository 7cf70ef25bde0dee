#!/usr/bin/env python3
"""Times lens_docs (and lens_checks, lens_ddl_script) on a gen_schema.py database against
seed 003's method, one `pg_dump --schema-only -t` per table.

usage: bench/docs_bench.py [--size 5000] [--runs 5] [--sample 10]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
pg_dump -t is timed on --sample tables and multiplied by the table count (running it 5,000
times takes about half an hour); each measurement is a whole process; medians.
"""
import argparse
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, medians, psql, sql_cases, timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sample", type=int, default=10)
    args = ap.parse_args()
    db = ensure_db(args.size)
    m = medians(sql_cases(db, {
        "lens_docs(ARRAY['app'])": "SELECT path, content FROM lens_docs(ARRAY['app'])",
        "lens_checks(ARRAY['app'])": "SELECT * FROM lens_checks(ARRAY['app'])",
        "lens_ddl_script(ARRAY['app'])": "SELECT lens_ddl_script(ARRAY['app'])",
    }), args.runs, seed=3)
    tables = [t for t in psql(db, "-c", "SELECT relname FROM pg_class WHERE relnamespace = 'app'::regnamespace AND relkind = 'r' ORDER BY 1").stdout.split()]
    per_table = [timed(["pg_dump", "--schema-only", "-t", f"app.{t}", "-d", db, "-f", "/dev/null"])
                 for t in random.Random(1).sample(tables, min(args.sample, len(tables)))]
    pg_dump_all = statistics.median(per_table) * len(tables)
    docs = m["lens_docs(ARRAY['app'])"]
    files = psql(db, "-c", "SELECT count(*) FROM lens_docs(ARRAY['app'])").stdout.strip()
    print(f"\n## docs: {args.size} tables ({files} files), median of {args.runs} runs, seconds")
    for name, t in m.items():
        print(f"  {name:<32} {t:8.3f}")
    print(f"  pg_dump -t per table (median of {len(per_table)})  {statistics.median(per_table):8.3f}")
    print(f"  pg_dump -t for all {len(tables)} tables (extrapolated) {pg_dump_all:8.1f}  ({pg_dump_all / 60:.1f} minutes)")
    print(f"  lens_docs: {docs:.3f} s (target < 2 s), {pg_dump_all / docs:.0f}x faster than one pg_dump -t per table")


if __name__ == "__main__":
    main()
