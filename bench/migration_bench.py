#!/usr/bin/env python3
"""Capture under a migration's load, in one run, cases interleaved:

1. One transaction of 2,000 statements (500 CREATE TABLE with an FK, 500 CREATE INDEX,
   500 COMMENT ON, 500 ALTER TABLE ADD COLUMN) on a gen_schema.py database, with capture
   off, with capture on, and with a minimal capture: an event trigger that only reads the
   catalog rows of the relations each statement touched (pg_class, pg_attribute,
   pg_attrdef, pg_constraint, pg_index, pg_description, pg_trigger, pg_policy) and writes
   nothing. That is the floor of any capture that reads what a statement changed.
2. Eight sessions at once, each running transactions of DDL (even sessions: migrations of
   four statements on their own tables with an FK to a shared parent; odd ones: autocommit
   ALTERs of a shared table), with capture off and on: wall time, failed transactions
   (deadlocks), and how long commit tails waited for the history lock.

usage: bench/migration_bench.py [--sizes 500,5000] [--runs 3] [--sessions 8] [--rounds 40]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER.
Creating and dropping thousands of relation files dominates these cases, and ext4 makes that
slower after every dropped copy: for steadier figures run the bench server from tmpfs
(PG_LENS_BENCH_DATA=/dev/shm/pg_lens_bench bench/run.sh --sizes 500 --runs 1).
Each case runs in a fresh copy of the size's database (CREATE DATABASE ... TEMPLATE), so
every case starts from the same state; timings are whole psql processes.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, psql  # noqa: E402

MINIMAL_CAPTURE = r"""
CREATE FUNCTION bench_minimal_capture() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    WITH rels AS (
        SELECT DISTINCT COALESCE(i.indrelid, c.oid) AS oid
        FROM pg_event_trigger_ddl_commands() d
        JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
        LEFT JOIN pg_index i ON i.indexrelid = c.oid
    )
    SELECT (SELECT count(*) FROM pg_class c JOIN rels USING (oid))
         + (SELECT count(*) FROM pg_attribute a JOIN rels r ON a.attrelid = r.oid)
         + (SELECT count(*) FROM pg_attrdef a JOIN rels r ON a.adrelid = r.oid)
         + (SELECT count(*) FROM pg_constraint k JOIN rels r ON k.conrelid = r.oid)
         + (SELECT count(*) FROM pg_index i JOIN rels r ON i.indrelid = r.oid)
         + (SELECT count(*) FROM pg_description d JOIN rels r ON d.objoid = r.oid)
         + (SELECT count(*) FROM pg_trigger t JOIN rels r ON t.tgrelid = r.oid)
         + (SELECT count(*) FROM pg_policy p JOIN rels r ON p.polrelid = r.oid)
      INTO n;
END $$;
CREATE EVENT TRIGGER bench_minimal_capture ON ddl_command_end EXECUTE FUNCTION bench_minimal_capture();
"""


def migration(statements):
    quarter = statements // 4
    lines = ["BEGIN;"]
    for i in range(quarter):
        lines.append(f"CREATE TABLE app.m_{i} (id bigint PRIMARY KEY, ref_id bigint REFERENCES app.t00001 (id), note text);")
    for i in range(quarter):
        lines.append(f"CREATE INDEX m_{i}_note ON app.m_{i} (note);")
    for i in range(quarter):
        lines.append(f"COMMENT ON TABLE app.m_{i} IS 'migrated {i}';")
    for i in range(quarter):
        lines.append(f"ALTER TABLE app.m_{i} ADD COLUMN extra int;")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def fresh_copy(template, name, setup=""):
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name}")
    psql("postgres", "-c", f"CREATE DATABASE {name} TEMPLATE {template}")
    if setup:
        psql(name, stdin=setup)


def run_script(db, script, settings="", debug=False):
    start = time.perf_counter()
    head = settings + ("SET client_min_messages = debug1;\n" if debug else "")
    p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=head + script, text=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, p.returncode, p.stderr


def migration_case(template, size, statements, runs):
    samples = {"capture off": [], "capture on": [], "minimal capture": []}
    rows = []
    order = random.Random(7)
    script = migration(statements)
    for run in range(runs):
        names = list(samples)
        order.shuffle(names)
        for name in names:
            db = f"lens_mig_{size}"
            fresh_copy(template, db, MINIMAL_CAPTURE if name == "minimal capture" else "")
            setting = "SET lens.capture = on;\n" if name == "capture on" else "SET lens.capture = off;\n"
            # capture off leaves rows saying so (and asks for a resync); this copy is dropped
            t, code, err = run_script(db, script, setting)
            if code != 0:
                sys.exit(f"{name}: the migration failed: {err[-2000:]}")
            samples[name].append(t)
            if name == "capture on":
                rows.append(int(psql(db, "-c", "SELECT count(*) FROM lens_drift WHERE 'COMMENT' = ANY(command_tags) OR "
                                              "object_keys::text LIKE '%app.m_%'").stdout.strip()))
            psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    m = {k: statistics.median(v) for k, v in samples.items()}
    # each run's cases ran next to each other: their ratio shares the machine's state
    paired = lambda a, b: statistics.median(x / y for x, y in zip(samples[a], samples[b]))
    print(f"\n## one transaction of {statements} statements on {size} tables, median of {runs} runs, seconds")
    for k, v in m.items():
        print(f"  {k:<16} {v:8.3f}  ({1000 * v / statements:.3f} ms per statement; runs {', '.join(f'{x:.2f}' for x in samples[k])})")
    print(f"  capture on / capture off       {m['capture on'] / m['capture off']:6.2f}x  (target <= 2x; "
          f"median of the runs' own ratios {paired('capture on', 'capture off'):.2f}x)")
    print(f"  capture on / minimal capture   {m['capture on'] / m['minimal capture']:6.2f}x  (or <= 1.3x; "
          f"runs' ratios {paired('capture on', 'minimal capture'):.2f}x)")
    print(f"  minimal capture / capture off  {m['minimal capture'] / m['capture off']:6.2f}x")
    print(f"  drift rows of the migration    {statistics.median(rows)}")


def session_script(worker, rounds):
    lines = []
    for i in range(rounds):
        t = f"app.s{worker}_{i}"
        if worker % 2 == 0:
            lines.append(f"BEGIN; CREATE TABLE {t} (id int PRIMARY KEY, parent_id bigint REFERENCES app.t00001 (id)); "
                         f"CREATE INDEX ON {t} (parent_id); ALTER TABLE {t} ADD COLUMN note text; "
                         f"COMMENT ON TABLE {t} IS 'round {i}'; COMMIT;")
        else:
            lines.append(f"ALTER TABLE app.t00002 ADD COLUMN c{worker}_{i} int;")
            lines.append(f"ALTER TABLE app.t00002 DROP COLUMN c{worker}_{i};")
    return "\n".join(lines) + "\n"


def sessions_case(template, size, sessions, rounds, runs):
    samples = {"capture off": [], "capture on": []}
    failures = {"capture off": 0, "capture on": 0}
    waits = []
    order = random.Random(5)
    for run in range(runs):
        names = list(samples)
        order.shuffle(names)
        for name in names:
            db = f"lens_ses_{size}"
            fresh_copy(template, db)
            setting = "SET lens.capture = on;\n" if name == "capture on" else "SET lens.capture = off;\n"
            # no ON_ERROR_STOP: a failed transaction (a deadlock) is counted and the session goes on
            def one(w):
                p = subprocess.run(["psql", "-X", "-q", "-d", db], input=setting +
                                   ("SET client_min_messages = debug1;\n" if name == "capture on" else "") +
                                   session_script(w, rounds), text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                return p.stderr
            start = time.perf_counter()
            with ThreadPoolExecutor(sessions) as pool:
                errs = list(pool.map(one, range(sessions)))
            samples[name].append(time.perf_counter() - start)
            for e in errs:
                failures[name] += len(re.findall(r"^ERROR:", e, re.M))
                if name == "capture on":
                    waits.extend(float(x) for x in re.findall(r"commit tail: waited ([0-9.]+) ms", e))
            psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    m = {k: statistics.median(v) for k, v in samples.items()}
    per = sessions * rounds
    print(f"\n## {sessions} sessions x {rounds} rounds of DDL at once on {size} tables, median of {runs} runs")
    for k, v in m.items():
        print(f"  {k:<16} {v:8.3f} s   failed statements: {failures[k]}")
    ratios = statistics.median(x / y for x, y in zip(samples["capture on"], samples["capture off"]))
    print(f"  capture on / capture off       {m['capture on'] / m['capture off']:6.2f}x  (target <= 2x, 0 deadlocks; "
          f"runs' ratios {ratios:.2f}x)")
    if waits:
        waits.sort()
        print(f"  commit-tail waits for the history lock: {len(waits)} commits, median {statistics.median(waits):.3f} ms, "
              f"p95 {waits[int(len(waits) * 0.95)]:.3f} ms, max {waits[-1]:.3f} ms")
    print(f"  ({per // 2 * 4 + per // 2 * 2} statements per case)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,5000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--statements", type=int, default=2000)
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--skip-sessions", action="store_true")
    args = ap.parse_args()
    for size in [int(s) for s in args.sizes.split(",")]:
        template = ensure_db(size)
        migration_case(template, size, args.statements, args.runs)
        if not args.skip_sessions:
            sessions_case(template, size, args.sessions, args.rounds, args.runs)


if __name__ == "__main__":
    main()
