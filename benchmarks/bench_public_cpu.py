"""What one public-list miss costs the machine, in one process, without a load
generator: the CPU time of the thread serving it (Django's WSGI handler called
directly, DEBUG off, as gunicorn runs it) and the CPU time of the PostgreSQL
backend answering its queries (read from /proc/<pid>/schedstat, in
nanoseconds). On a shared 2-core machine these move far less than latency does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imvo_load IMVO_VAR_DIR=$PWD/var \\
        .venv/bin/python benchmarks/bench_public_cpu.py [--src OTHER/src] [--ab VAR]

`--src`: serve another checkout's code (its `src/`). `--ab VAR`: the same code
with the environment variable VAR set to 0 and to 1, alternating in blocks of 40
requests, to measure a change that reads VAR (a switch kept while measuring).
Run `collectstatic` first (bench_load.py does); the database must be the one
load_data.py filled (the covenant with the most members is read).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections import defaultdict
from typing import Any

PATHS = {
    "list": "/supply-chain/public/{slug}/",
    "page 2": "/supply-chain/public/{slug}/?page=2",
    "search": "/supply-chain/public/{slug}/?q=tex",
    "page 9": "/supply-chain/public/{slug}/?q=tex&page=9",
    "API": "/api/public/production-locations/{slug}?per_page=100",
}
BLOCK = 40


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--src", default="", help="another checkout's src/ to measure")
    p.add_argument("--ab", default="", help="an environment variable to set to 0 and 1")
    p.add_argument("--rounds", type=int, default=10, help="blocks of 40 requests per page")
    a = p.parse_args()
    if a.src:
        sys.path.insert(0, a.src)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="imvo.settings",
        DEBUG="0",
        IMVO_HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        IMVO_PUBLIC_CACHE_SECONDS="0",
        DB_CONN_MAX_AGE="3600",  # one backend for the whole run
    )
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.db.models import Count

    from imvo.covenants.models import Covenant

    big = Covenant.objects.annotate(n=Count("adherences")).order_by("-n").first()
    if big is None or connection.vendor != "postgresql":
        sys.exit("Give the PostgreSQL database that benchmarks/load_data.py filled.")
    handler = WSGIHandler()

    def get(path: str) -> int:
        url, _, query = path.format(slug=big.slug).partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "SCRIPT_NAME": "",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        status: list[str] = []
        answer: Any = handler(environ, lambda s, h, exc=None: status.append(s))
        b"".join(answer)
        answer.close()
        return int(status[0].split()[0])

    for name, path in PATHS.items():
        if get(path) != 200:
            sys.exit(f"{name}: {path} does not answer 200")

    def backend_ns() -> int:
        pid = connection.connection.info.backend_pid
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])

    values = ("0", "1") if a.ab else ("",)
    spent: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in range(a.rounds):
        for name, path in PATHS.items():
            for value in values if r % 2 == 0 else values[::-1]:
                if a.ab:
                    os.environ[a.ab] = value
                get(path)
                web, db = time.thread_time_ns(), backend_ns()
                for _ in range(BLOCK):
                    get(path)
                spent[(name, value)][0] += time.thread_time_ns() - web
                spent[(name, value)][1] += backend_ns() - db
    n = a.rounds * BLOCK * 1e6
    print(f"load average {os.getloadavg()[0]:.1f}; CPU ms per request, web + database")
    for name in PATHS:
        cells = [
            (f"{a.ab}={v}: " if a.ab else "")
            + f"{spent[(name, v)][0] / n:.2f} + {spent[(name, v)][1] / n:.2f}"
            for v in values
        ]
        print(f"{name:8} " + "   ".join(cells))


if __name__ == "__main__":
    main()
