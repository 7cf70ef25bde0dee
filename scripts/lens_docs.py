#!/usr/bin/env python3
"""Writes lens_docs() into a folder, ready to commit (seed 003's schema sync, in one call).

usage: scripts/lens_docs.py --out DIR [--db NAME] [--schemas a,b] [--prune]

Connects with psql (PGHOST, PGPORT, PGUSER, or --db). The folder keeps `.lens_docs_state`:
the newest lens_drift id at the last run, so that tables created since show as `new` and
tables dropped since as orphaned in _index.md. Files of dropped tables stay until --prune
removes them. Files are only rewritten when their content changed; an unchanged schema
leaves the folder byte for byte as it was.
"""
import argparse
import os
import sys

import lens_psql

STATE = ".lens_docs_state"


def psql(db, sql, *variables):
    return lens_psql.psql("lens_docs", db, sql, *variables)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--db", default=os.environ.get("PGDATABASE", "postgres"))
    ap.add_argument("--schemas", default="")
    ap.add_argument("--prune", action="store_true", help="remove the files of dropped tables")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    state_path = os.path.join(args.out, STATE)
    since = open(state_path).read().strip() if os.path.exists(state_path) else ""
    schemas = [s.strip() for s in args.schemas.split(",") if s.strip()]
    schemas_sql = "NULL" if not schemas else "string_to_array(:'schemas', ',')"
    since_sql = "NULL" if not since else ":'since'::bigint"
    rows = psql(
        args.db,
        f"SELECT path, content FROM lens_docs({schemas_sql}, {since_sql});\n",
        ("schemas", ",".join(schemas)),
        ("since", since or "0"),
    )
    latest = psql(args.db, "SELECT coalesce(max(id), 0) FROM lens_drift;\n")[0][0]

    written = set()
    changed = 0
    for path, content in rows:
        if "/" in path or path.startswith("."):
            sys.exit(f"lens_docs: refusing the path {path!r}")
        target = os.path.join(args.out, path)
        written.add(path)
        if os.path.exists(target) and open(target, encoding="utf-8").read() == content:
            continue
        with open(target, "w", encoding="utf-8") as f:
            f.write(content)
        changed += 1
    stale = sorted(p for p in os.listdir(args.out) if p not in written and p != STATE and (p.endswith(".sql") or p.endswith(".md")))
    if args.prune:
        for p in stale:
            os.remove(os.path.join(args.out, p))
    if not os.path.exists(state_path) or open(state_path).read().strip() != latest:
        with open(state_path, "w") as f:
            f.write(latest + "\n")
    print(f"lens_docs: {len(written)} files in {args.out}, {changed} written"
          + (f", {len(stale)} of dropped tables {'removed' if args.prune else 'kept (use --prune)'}" if stale else ""))


if __name__ == "__main__":
    main()
