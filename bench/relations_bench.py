#!/usr/bin/env python3
"""Times lens_risks, lens_risk and lens_erd (Mermaid and DOT) on a gen_schema.py database.

usage: bench/relations_bench.py [--size 5000] [--runs 7]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
Each measurement is a whole psql process (a new backend) writing to /dev/null; medians.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, medians, sql_cases  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    db = ensure_db(args.size)
    m = medians(sql_cases(db, {
        "lens_risks(ARRAY['app'])": "SELECT * FROM lens_risks(ARRAY['app'])",
        "lens_risk('app.t00001')": "SELECT lens_risk('app.t00001')",
        "lens_erd(ARRAY['app']) mermaid": "SELECT lens_erd(ARRAY['app'])",
        "lens_erd(ARRAY['app'], 'dot')": "SELECT lens_erd(ARRAY['app'], 'dot')",
        "lens_erd focus t00001, depth 2": "SELECT lens_erd(ARRAY['app'], 'mermaid', 'app.t00001', 2)",
    }), args.runs, seed=5)
    print(f"\n## relationships: {args.size} tables, median of {args.runs} runs, seconds (target: each under 1 s)")
    for name, t in m.items():
        print(f"  {name:<34} {t:7.3f}")


if __name__ == "__main__":
    main()
