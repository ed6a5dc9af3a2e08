"""First requests after `imvo serve` starts, with and without the warm-up.

    .venv/bin/python benchmarks/bench_serve.py                      # fresh SQLite demo
    DATABASE_URL=postgres://.../imvo_load .venv/bin/python benchmarks/bench_serve.py

Starts `imvo serve --no-worker` on 127.0.0.1 twice against the same database:
once with IMVO_WARMUP=0 (the baseline: what the first visitors paid before the
warm-up existed) and once with the warm-up. It waits until the port accepts
connections, then asks each public page once, in order, and prints the time
to the port and each first answer. Without DATABASE_URL it first builds a demo
database in a temporary folder. DEBUG off, a throw-away SECRET_KEY, plain http.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMVO = [sys.executable, "-m", "imvo.cli"]
PAGES = [
    "/",
    "/covenants/garment-textile/",
    "/complaints/new/",
    "/reports/dashboard/",
    "/supply-chain/public/garment-textile/",
    "/api/openapi.json",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(var: Path, warm: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "IMVO_TESTING"}}
    env.update(
        IMVO_VAR_DIR=str(var),
        SECRET_KEY=secrets.token_urlsafe(40),
        IMVO_HTTPS="0",
        IMVO_WARMUP="1" if warm else "0",
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY="2",
    )
    return env


def run(var: Path, warm: bool) -> tuple[float, list[tuple[str, int, float]]]:
    port = free_port()
    log = (var / f"serve-{'warm' if warm else 'cold'}.log").open("w")
    started = time.monotonic()
    proc = subprocess.Popen(
        [*IMVO, "serve", "--no-worker", "--port", str(port)],
        env=env_for(var, warm),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = started + 600
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        to_port = time.monotonic() - started
        answers = []
        for path in PAGES:
            t = time.monotonic()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as r:
                    status = r.status
                    r.read()
            except urllib.error.HTTPError as e:
                status = e.code
            answers.append((path, status, time.monotonic() - t))
        return to_port, answers
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        var.mkdir()
        if not os.environ.get("DATABASE_URL"):
            print("Building a demo database (SQLite) ...", flush=True)
            subprocess.run(
                [*IMVO, "demo", "--no-serve"],
                env=env_for(var, True) | {"DEBUG": "1"},
                check=True,
                capture_output=True,
            )
        print(f"database: {os.environ.get('DATABASE_URL') or 'SQLite demo'}")
        results = {}
        for warm in (False, True):
            results[warm] = run(var, warm)
        cold_port, cold = results[False]
        warm_port, warm = results[True]
        print(f"\n{'':44} {'no warm-up':>12} {'warm-up':>12}")
        print(f"{'start to port open':44} {cold_port:11.2f}s {warm_port:11.2f}s")
        for (path, s1, t1), (_p, s2, t2) in zip(cold, warm, strict=True):
            print(f"{'first ' + path:44} {t1 * 1000:10.0f}ms {t2 * 1000:10.0f}ms  ({s1}/{s2})")
        total_cold = sum(t for *_x, t in cold)
        total_warm = sum(t for *_x, t in warm)
        print(f"{'all first answers':44} {total_cold:11.2f}s {total_warm:11.2f}s")


if __name__ == "__main__":
    main()
