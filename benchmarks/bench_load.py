"""Load test of the public pages, the complaint form and the API under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imvo_load \\
        .venv/bin/python benchmarks/bench_load.py [--duration 20] [--connections 50]

First fill the database with ``benchmarks/load_data.py``. The script starts
gunicorn on 127.0.0.1 only (DEBUG off, a throw-away SECRET_KEY, IMVO_HTTPS=0,
ALLOWED_HOSTS=127.0.0.1) against that database, then drives each scenario with
wrk: first at concurrency 1 (the baseline: one user alone), then at N
concurrent connections for --duration seconds. It prints requests/s and
p50/p95/p99 latency per scenario, the p95 against the 300 ms target, and the
slow-down against the baseline, and the CPU time one request cost the server's
processes and PostgreSQL's backends during the loaded run (from /proc: what a
busy machine changes least), then stops gunicorn. Bounded in time: about
(baseline + duration) x scenarios seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, never another address
TARGET_P95_MS = 300.0

LUA = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, summary.bytes))
end
"""


def scenarios(database_url: str) -> list[tuple[str, str]]:
    """(label, path) of the pages to load, with real slugs from the database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db.models import Count

    from imvo.covenants.models import Covenant

    # The covenant with the most members: the heaviest covenant page.
    big = Covenant.objects.annotate(n=Count("adherences")).order_by("-n").first()
    if big is None:
        sys.exit("The database is empty: run benchmarks/load_data.py first.")
    out = [
        ("home page", "/"),
        ("covenant page", f"/covenants/{big.slug}/"),
    ]
    out += [
        ("locations list", f"/supply-chain/public/{big.slug}/"),
        ("locations search", f"/supply-chain/public/{big.slug}/?q=tex"),
        ("locations page 2", f"/supply-chain/public/{big.slug}/?page=2"),
        ("locations page 9", f"/supply-chain/public/{big.slug}/?q=tex&page=9"),
    ]
    out += [
        ("complaint form", "/complaints/new/"),
        ("API covenants", "/api/covenants"),
        ("API covenant", f"/api/covenants/{big.slug}"),
        ("API locations", f"/api/public/production-locations/{big.slug}?per_page=100"),
    ]
    return out


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            sys.exit("gunicorn stopped while starting; see its output above.")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /health/ in time.")


def drain(port: int, limit: float = 30) -> None:
    """Wait until the server has worked off what wrk left queued (a slow server
    keeps answering after wrk stops, which would load the next scenario)."""
    end = time.time() + limit
    while time.time() < end:
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/health/", timeout=limit) as r:
                r.read()
        except OSError:
            pass
        if time.perf_counter() - t < 0.05:
            return
        time.sleep(0.5)


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime: the 14th and 15th fields of stat, the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """The process and its children (gunicorn's master and workers)."""
    out = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            out.append(int(stat.parent.name))
    return out


def _database_backends() -> list[int]:
    """PostgreSQL's server processes for the load database, but this script's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def cpu_now(server_pid: int) -> tuple[float, float]:
    """(CPU seconds of the server's processes, of the database's backends): read
    before and after a run, their difference per request is what one request costs
    the machine, which other work on it changes far less than latency. Backends of
    both servers are counted; only the one under load uses CPU."""
    server = sum(_cpu_of(p) for p in _children(server_pid))
    return server, sum(_cpu_of(p) for p in _database_backends())


def run_wrk(url: str, script: str, connections: int, seconds: int) -> dict[str, float]:
    threads = min(2, connections)
    out = subprocess.run(
        [
            "/usr/bin/wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), "")
    if not line:
        raise RuntimeError(f"wrk gave no result: {out.stdout}\n{out.stderr}")
    n, dur_us, p50, p95, p99, errors, nbytes = line.split()[1:]
    secs = int(dur_us) / 1e6
    return {
        "rps": int(n) / secs,
        "requests": int(n),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(errors),
        "kb": int(nbytes) / max(1, int(n)) / 1024,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    p.add_argument("--duration", type=int, default=20, help="seconds per loaded scenario")
    p.add_argument("--baseline", type=int, default=5, help="seconds per baseline scenario")
    p.add_argument("--connections", type=int, default=50)
    # As `imvo serve` runs by default (WEB_CONCURRENCY=2, 4 threads). On this 2-core
    # machine 3 workers gave a longer tail (docs/performance.md).
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--port", type=int, default=8107)
    p.add_argument(
        "--only",
        default="",
        help="run only scenarios whose label contains this (or one of these, comma-separated)",
    )
    p.add_argument(
        "--before-src",
        default="",
        help="a checkout's src/ (e.g. a worktree of main): each scenario runs first against a "
        "second gunicorn serving that code, then against this one, so before and after are "
        "measured in one run under the same machine load",
    )
    p.add_argument(
        "--shapes",
        default="",
        help="other gunicorn shapes to serve this code with, WORKERSxTHREADS separated by "
        "commas (e.g. 2x2,4x2; 2x4k0: with --keep-alive 0, each answer closes its connection; "
        "2x4w25: with --worker-connections 25, at most 25 connections a worker): "
        "each scenario runs against one gunicorn per shape, one after the other, in the same "
        "run, to choose a shape on a shared machine",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run each scenario this many times against every server, alternating, so "
        "that a burst of other work on the machine does not land on one server only",
    )
    a = p.parse_args()
    if not a.database_url.startswith("postgres"):
        sys.exit("Give a PostgreSQL DATABASE_URL filled by benchmarks/load_data.py.")
    if not Path("/usr/bin/wrk").exists():
        sys.exit("wrk is not installed (/usr/bin/wrk).")
    wanted = a.only.split(",")
    todo = [s for s in scenarios(a.database_url) if any(w in s[0] for w in wanted)]

    env = dict(os.environ)
    env.update(
        DATABASE_URL=a.database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        IMVO_HTTPS="0",
        ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="imvo.settings",
    )
    env.pop("IMVO_TESTING", None)
    print(
        f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); "
        f"gunicorn {a.workers} workers x {a.threads} threads, cache: "
        + (env.get("CACHE_URL") or "in-memory per process (set CACHE_URL=redis://... to share)"),
        flush=True,
    )
    # As `imvo serve` does with DEBUG off: hashed static files, gunicorn with threads.
    subprocess.run(
        [sys.executable, "-m", "imvo.cli", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=str(ROOT),
        check=True,
    )

    def start(
        port: int, src: str = "", workers: int = 0, threads: int = 0, options: str = ""
    ) -> subprocess.Popen:
        run_env = dict(env, PYTHONPATH=src) if src else env
        extra = []
        for flag, value in re.findall(r"([kw])(\d+)", options):
            extra += ["--keep-alive" if flag == "k" else "--worker-connections", value]
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "imvo.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers or a.workers),
                "--threads",
                str(threads or a.threads),
                "--log-level",
                "warning",
                *extra,
            ],
            env=run_env,
            cwd=str(ROOT),
            start_new_session=True,
        )

    # (name, port, process): this code as asked, then the other shapes, "before" first.
    shapes = [x.strip().lower() for x in a.shapes.split(",") if x.strip()]
    servers: list[tuple[str, int, subprocess.Popen]] = [
        (f"{a.workers}x{a.threads}" if shapes else "", a.port, start(a.port))
    ]
    for i, shape in enumerate(shapes):
        size = re.match(r"(\d+)x(\d+)", shape)
        if size is None:
            sys.exit(f"--shapes: {shape!r} is not WORKERSxTHREADS[kN][wN]")
        workers, threads = int(size[1]), int(size[2])
        port = a.port + 2 + i
        servers.append((shape, port, start(port, "", workers, threads, shape[size.end() :])))
    if a.before_src:
        servers.insert(0, ("before", a.port + 1, start(a.port + 1, a.before_src)))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as tmp:
        tmp.write(LUA)
    rows = []
    try:
        for _which, port, proc in servers:
            wait_up(port, proc)
        for label, path in todo:
            for _round in range(a.rounds):
                for which, port, proc in servers:
                    name = (
                        f"{label} ({which})"
                        if which
                        else (f"{label} (after)" if a.before_src else label)
                    )
                    url = f"http://{HOST}:{port}{path}"
                    # Warm every worker process (each has its own fragment cache and
                    # template/translation state): a single connection warms only one.
                    run_wrk(url, tmp.name, a.connections, 2)
                    base = run_wrk(url, tmp.name, 1, a.baseline)
                    cpu_before = cpu_now(proc.pid)
                    load = run_wrk(url, tmp.name, a.connections, a.duration)
                    drain(port)
                    cpu_after = cpu_now(proc.pid)
                    done = max(1, load["requests"])
                    load["cpu_web"] = (cpu_after[0] - cpu_before[0]) * 1000 / done
                    load["cpu_db"] = (cpu_after[1] - cpu_before[1]) * 1000 / done
                    rows.append((name, path, base, load))
                    ok = "ok" if load["p95"] < TARGET_P95_MS and not load["errors"] else "SLOW"
                    print(
                        f"{name:27} c=1: {base['rps']:6.1f} req/s p50 {base['p50']:6.1f} ms | "
                        f"c={a.connections}: {load['rps']:6.1f} req/s p50 {load['p50']:6.1f} "
                        f"p95 {load['p95']:7.1f} p99 {load['p99']:7.1f} ms, "
                        f"{load['errors']} errors, {load['kb']:.0f} KB/answer, "
                        f"CPU/request {load['cpu_web']:.1f} ms web "
                        f"+ {load['cpu_db']:.1f} ms db  [{ok}]",
                        flush=True,
                    )
    finally:
        for _which, _port, proc in servers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _which, _port, proc in servers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        os.unlink(tmp.name)
    print()
    print(
        f"| scenario | path | c=1 req/s | c=1 p50 ms | c={a.connections} req/s | p50 | p95 | p99 "
        "| errors | CPU ms/req web | CPU ms/req db |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, path, base, load in rows:
        print(
            f"| {label} | `{path}` | {base['rps']:.1f} | {base['p50']:.1f} | {load['rps']:.1f} "
            f"| {load['p50']:.1f} | {load['p95']:.1f} | {load['p99']:.1f} | {load['errors']} "
            f"| {load['cpu_web']:.1f} | {load['cpu_db']:.1f} |"
        )
    print(
        f"\nload average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); "
        "CPU/request: the server's processes (web) and the database's backends (db) "
        "over the loaded run, divided by its requests"
    )
    slow = [r[0] for r in rows if r[3]["p95"] >= TARGET_P95_MS or r[3]["errors"]]
    print(
        f"\np95 target {TARGET_P95_MS:.0f} ms: "
        + (f"missed by {', '.join(slow)}" if slow else "met by all")
    )


if __name__ == "__main__":
    main()
