"""Per-request cost of the public production-location pages with every read a
cache miss, in one process (Django's test client, no HTTP server, no load
generator): the figure that does not depend on how busy the machine's other
cores are. Optionally the same against another checkout's code, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imvo_load IMVO_VAR_DIR=$PWD/var \\
        .venv/bin/python benchmarks/bench_public_reads.py [--before-src /path/to/main/src]

Fill the database with ``benchmarks/load_data.py`` first (it publishes the
years, so the public pages have their snapshots). Prints, per page: the
median of 5 requests (``--repeat``) after one warm-up: wall time, the CPU time of
this process (its Python work; what a loaded machine changes least), the
number of queries and their time, and PostgreSQL's own planning and execution
time of one request's queries (EXPLAIN ANALYZE).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATHS = [
    "/supply-chain/public/{slug}/",
    "/supply-chain/public/{slug}/?page=2",
    "/supply-chain/public/{slug}/?q=tex",
    "/supply-chain/public/{slug}/?q=tex&page=9",
    "/api/public/production-locations/{slug}?per_page=100",
]


def measure(label: str, repeat: int = 5) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from imvo.covenants.models import Covenant

    big = Covenant.objects.annotate(n=Count("adherences")).order_by("-n").first()
    if big is None:
        sys.exit("The database is empty: run benchmarks/load_data.py first.")
    client = Client()
    for template in PATHS:
        path = template.format(slug=big.slug)
        client.get(path, HTTP_HOST="127.0.0.1")
        times, cpu, sql = [], [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                t, c = time.perf_counter(), time.thread_time()
                r = client.get(path, HTTP_HOST="127.0.0.1")
                cpu.append((time.thread_time() - c) * 1000)
                times.append((time.perf_counter() - t) * 1000)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        print(
            f"{label:6} {template:56} {r.status_code} median {statistics.median(times):7.1f} ms, "
            f"CPU {statistics.median(cpu):6.1f} ms, {len(ctx):3} queries, "
            f"SQL {statistics.median(sql):7.1f} ms, PostgreSQL {server_ms(client, path):6.2f} ms",
            flush=True,
        )


def server_ms(client: Any, path: str) -> float:
    """The database's own time for one request's queries: the sum of their planning
    and execution times by EXPLAIN ANALYZE (median of 3), which the round trips and
    a busy machine's scheduling do not inflate as much as the client-side SQL time."""
    import re

    from django.db import connection

    captured: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path, HTTP_HOST="127.0.0.1")
    totals = []
    for _ in range(3):
        total = 0.0
        with connection.cursor() as cursor:
            for sql, params in captured:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql, params)
                for (line,) in cursor.fetchall():
                    m = re.match(r"(Planning|Execution) Time: ([\d.]+) ms", line)
                    total += float(m.group(2)) if m else 0.0
        totals.append(total)
    return statistics.median(totals)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before-src", default="", help="another checkout's src/ to measure first")
    p.add_argument("--repeat", type=int, default=5, help="requests per page (median)")
    p.add_argument("--label", default="", help=argparse.SUPPRESS)
    a = p.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Give a PostgreSQL DATABASE_URL filled by benchmarks/load_data.py.")
    # Every read a miss; DEBUG on so the queries are recorded.
    env = dict(os.environ, IMVO_PUBLIC_CACHE_SECONDS="0", DEBUG="1")
    env.pop("IMVO_TESTING", None)
    if a.label:
        measure(a.label, a.repeat)
        return
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores)", flush=True)
    runs = ([("before", a.before_src)] if a.before_src else []) + [
        ("after" if a.before_src else "now", "")
    ]
    for label, src in runs:
        run_env = dict(env, PYTHONPATH=src) if src else env
        subprocess.run(
            [sys.executable, __file__, "--label", label, "--repeat", str(a.repeat)],
            env=run_env,
            cwd=str(ROOT),
            check=True,
        )


if __name__ == "__main__":
    main()
