#!/usr/bin/env python3
"""Writes lens_report() into a folder: report.html, and for large schemas a page per table.

usage: scripts/lens_report.py --out DIR [--db NAME] [--schemas a,b] [--inline-limit N]
                              [--history-limit N]

Connects with psql (PGHOST, PGPORT, PGUSER, or --db). Up to --inline-limit tables (500)
report.html holds everything; above, report.html (and index.html, the same) is the index and
tables/ holds a page per table (lens_report_pages()). Open report.html in a browser: no network, no server needed.
"""
import argparse
import os
import shutil
import sys

import lens_psql

SPLIT = '<meta name="pg_lens-layout" content="split">'


def psql(db, sql, *variables):
    return lens_psql.psql("lens_report", db, sql, *variables)


def safe(out, path):
    """The file for a page path, refused when it would leave the folder."""
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        sys.exit(f"lens_report: refusing the path {path!r}")
    return os.path.join(out, *parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--db", default=os.environ.get("PGDATABASE", "postgres"))
    ap.add_argument("--schemas", default="")
    ap.add_argument("--inline-limit", type=int, default=500)
    ap.add_argument("--history-limit", type=int, default=200)
    args = ap.parse_args()
    schemas = [s.strip() for s in args.schemas.split(",") if s.strip()]
    schemas_sql = "NULL" if not schemas else "string_to_array(:'schemas', ',')"
    variables = [("schemas", ",".join(schemas)), ("inline", args.inline_limit), ("history", args.history_limit)]
    html = psql(args.db, f"SELECT lens_report({schemas_sql}, :'inline'::int, :'history'::int);\n", *variables)[0][0]
    os.makedirs(args.out, exist_ok=True)
    tables = os.path.join(args.out, "tables")
    if os.path.isdir(tables):
        shutil.rmtree(tables)  # pages of an earlier report, of tables perhaps gone
    if SPLIT in html:
        pages = psql(args.db, f"SELECT path, content FROM lens_report_pages({schemas_sql}, :'history'::int);\n", *variables)
        for path, content in pages:
            target = safe(args.out, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(content)
            if path == "index.html":
                # the entry point has one name whatever the size (table pages link index.html)
                shutil.copyfile(target, os.path.join(args.out, "report.html"))
        print(f"{os.path.join(args.out, 'report.html')} (and {len(pages) - 1} table pages in {tables})")
    else:
        with open(os.path.join(args.out, "report.html"), "w", encoding="utf-8") as f:
            f.write(html)
        print(os.path.join(args.out, "report.html"))


if __name__ == "__main__":
    main()
