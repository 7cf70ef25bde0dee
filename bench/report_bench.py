#!/usr/bin/env python3
"""The HTML report (issue 15): in-server time of lens_report on a gen_schema.py database
(the split index), lens_report_pages (every page), and the all-in-one document, against
lens_snapshot (what every report reads first) and lens_docs; in one psql session with
\\timing, interleaved, medians; results never shipped (length() in the server). Then the
sizes, and headless Chromium's time to load the index, a table page and the all-in-one
document (the browser's own navigation timing: loadEventEnd), medians.

usage: bench/report_bench.py [--size 5000] [--runs 5]
Expects a running server (bench/run.sh starts one) reachable through PGHOST/PGPORT/PGUSER,
and Chromium (scripts/setup.sh installs it).
"""
import argparse
import csv
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snapshot_bench import ensure_db, psql, server_times  # noqa: E402

CHROMIUM = os.environ.get("PG_LENS_CHROMIUM", "/usr/lib/chromium/chromium")
csv.field_size_limit(sys.maxsize)


class Chromium:
    """Headless Chromium over the DevTools pipe (fd 3 commands, fd 4 answers, NUL-ended)."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="lens_bench_chromium_")
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', CHROMIUM, "--headless=new", "--disable-gpu",
             "--no-sandbox", "--remote-debugging-pipe", "--no-first-run", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buf:
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                sys.exit("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.proc.stdin.write(json.dumps(msg).encode() + b"\0")
        self.proc.stdin.flush()
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    sys.exit(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def load_ms(self, url):
        """Opens url in a new tab; the page's own navigation timing of its load event, and
        what it logged (nothing, for a report)."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain, session=session)
        self.events = []
        self.call("Page.navigate", {"url": url}, session=session)
        while not any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session for e in self.events):
            self.events.append(self._read())
        r = self.call("Runtime.evaluate", {"expression": "performance.getEntriesByType('navigation')[0].loadEventEnd",
                                           "returnByValue": True}, session=session)
        problems = [e for e in self.events if e.get("method") in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]
        self.call("Target.closeTarget", {"targetId": target})
        return r["result"]["value"], problems

    def close(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db = ensure_db(args.size)
    queries = {
        "lens_report (split index)": "SELECT length(lens_report(ARRAY['app']))",
        "lens_report_pages (all pages)": "SELECT sum(length(content)) FROM lens_report_pages(ARRAY['app'])",
        "lens_report all in one": "SELECT length(lens_report(ARRAY['app'], inline_limit => 1000000))",
        "lens_snapshot": "SELECT length(lens_snapshot(ARRAY['app'])::text)",
        "lens_docs": "SELECT sum(length(content)) FROM lens_docs(ARRAY['app'])",
    }
    m = server_times(db, queries, args.runs)

    out = tempfile.mkdtemp(prefix="lens_report_bench_")
    try:
        rows = list(csv.reader(io.StringIO(psql(db, "--csv", "-c", "SELECT path, content FROM lens_report_pages(ARRAY['app'])").stdout)))
        for path, content in rows:
            target = os.path.join(out, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(content)
        whole = psql(db, "-c", "SELECT lens_report(ARRAY['app'], inline_limit => 1000000)").stdout
        with open(os.path.join(out, "whole.html"), "w", encoding="utf-8") as f:
            f.write(whole)
        index_bytes = next(len(c.encode()) for p, c in rows if p == "index.html")
        page_bytes = sorted(len(c.encode()) for p, c in rows if p != "index.html")
        table_page = next(p for p, _ in rows if p.startswith("tables/app.t00002"))
        pages = {"index.html": "index.html", "a table page": table_page, "all in one": "whole.html"}
        loads = {name: [] for name in pages}
        browser = Chromium()
        try:
            order = random.Random(16)
            for _ in range(args.runs):
                names = list(pages)
                order.shuffle(names)
                for name in names:
                    ms, problems = browser.load_ms("file://" + os.path.join(out, pages[name]))
                    if problems:
                        sys.exit(f"{name} logged: {problems}")
                    loads[name].append(ms)
        finally:
            browser.close()
    finally:
        shutil.rmtree(out, ignore_errors=True)

    tables = len(rows) - 1
    print(f"\n## HTML report: {args.size} tables ({tables} relations), in-server, median of {args.runs}, ms")
    for name, t in m.items():
        print(f"  {name:<32} {t:9.1f}")
    print(f"  index / lens_snapshot            {m['lens_report (split index)'] / m['lens_snapshot']:9.2f}x")
    print(f"\n## sizes")
    print(f"  index.html                       {index_bytes / 1e6:9.2f} MB")
    print(f"  a table page (median, max)       {statistics.median(page_bytes) / 1e3:9.1f} KB  {page_bytes[-1] / 1e3:.1f} KB")
    print(f"  all pages                        {(index_bytes + sum(page_bytes)) / 1e6:9.1f} MB in {len(rows)} files")
    print(f"  all in one document              {len(whole.encode()) / 1e6:9.1f} MB")
    print(f"\n## headless Chromium: load event (navigation timing), median of {args.runs}, ms")
    for name, v in loads.items():
        print(f"  {name:<32} {statistics.median(v):9.1f}")
    print(f"\n  lens_report: {m['lens_report (split index)'] / 1000:.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
