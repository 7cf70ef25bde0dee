#!/usr/bin/env python3
"""Writes lens_codegen() into a file to commit, or checks in CI that the file and the schema still agree.

usage: scripts/lens_codegen.py --target typescript|zod|rust --out FILE [--db NAME]
                               [--schema NAME ...] [--snapshot FILE] [--check]

Connects with psql (PGHOST, PGPORT, PGUSER, or --db). --schema may repeat (every user schema
when absent); any name works, commas and quotes included. Without --check it writes FILE (only
when its bytes change) and, with --snapshot, the schemas' snapshot for lens_check_drift (only
when the schema changed since the one there, so that the file changes with the schema, not
with the clock). With --check it writes nothing and exits 1 when FILE is not what the database
gives now (a unified diff says where) or, with --snapshot, when lens_check_drift finds the
live schema drifted from that snapshot.
"""
import argparse
import difflib
import json
import os
import sys

import lens_psql


def psql(db, sql, *variables):
    return lens_psql.psql("lens_codegen", db, sql, *variables)


def read(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def drift(db, snapshot_text):
    """lens_check_drift of the snapshot in snapshot_text against the live schema."""
    sql = f"SELECT lens_check_drift({lens_psql.dollar_quoted(snapshot_text)}::jsonb)::text;\n"
    return json.loads(psql(db, sql)[0][0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True, choices=["typescript", "zod", "rust"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--db", default=os.environ.get("PGDATABASE", "postgres"))
    ap.add_argument("--schema", action="append", default=[], help="a schema to generate for (repeat it)")
    ap.add_argument("--snapshot", help="the schemas' snapshot, for lens_check_drift")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when FILE or the schema drifted")
    args = ap.parse_args()
    # the names as one JSON array: a psql variable holds any name
    schemas_sql = "NULL" if not args.schema else "ARRAY(SELECT jsonb_array_elements_text(:'schemas'::jsonb))"
    variables = [("schemas", json.dumps(args.schema)), ("target", args.target)]
    code = psql(args.db, f"SELECT lens_codegen({schemas_sql}, :'target');\n", *variables)[0][0]
    committed = read(args.out)
    stale = []
    if args.check:
        if committed != code:
            sys.stderr.writelines(difflib.unified_diff((committed or "").splitlines(True), code.splitlines(True), args.out, "lens_codegen now"))
            stale.append(f"{args.out} is not what lens_codegen gives now: run this script without --check and commit it")
        if args.snapshot:
            expected = read(args.snapshot)
            if expected is None:
                sys.exit(f"lens_codegen: no snapshot at {args.snapshot}")
            result = drift(args.db, expected)
            if result.get("changed"):
                sys.stderr.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
                stale.append(f"the live schema drifted from {args.snapshot} (lens_check_drift, above)")
        for message in stale:
            print(f"lens_codegen: {message}", file=sys.stderr)
        if stale:
            sys.exit(1)
        print(f"lens_codegen: {args.out} is up to date" + (f", no drift from {args.snapshot}" if args.snapshot else ""))
        return
    if committed != code:
        write(args.out, code)
    said = f"lens_codegen: {args.out} " + ("written" if committed != code else "unchanged")
    if args.snapshot:
        expected = read(args.snapshot)
        if expected is None or drift(args.db, expected).get("changed"):
            snapshot = psql(args.db, f"SELECT jsonb_pretty(lens_snapshot({schemas_sql}));\n", *variables)[0][0]
            write(args.snapshot, snapshot + "\n")
            said += f", {args.snapshot} written"
        else:
            said += f", {args.snapshot} unchanged"
    print(said)


if __name__ == "__main__":
    main()
