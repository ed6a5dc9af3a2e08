"""Backup and restore of a whole install at the load-test size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imvo_load IMVO_VAR_DIR=/path/var \\
        .venv/bin/python benchmarks/bench_backup.py [--baseline-timeout 900]

Fill the database first with ``benchmarks/load_data.py --scale 1`` (1M
facilities, 200k supplier-list rows, 10k complaints), with the same
IMVO_VAR_DIR (its complaints key is needed to verify the restore). Without
DATABASE_URL it measures the SQLite demo instead (built in a temporary folder).

For each way of backing up it runs the real commands: ``imvo backup
--include-keys`` into a temporary folder, then ``imvo restore`` into an empty
install (a new PostgreSQL database, dropped afterwards, and an empty var
folder), and prints wall time, peak memory (largest process, pg_dump and
pg_restore included) and archive size:

- native: pg_dump custom format (or the SQLite backup API); what `imvo backup` does;
- portable, the baseline: Django JSON fixtures (what `imvo backup` did before,
  and does now with --portable), stopped after --baseline-timeout seconds.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

IMVO = [sys.executable, "-m", "imvo.cli"]


def timed(args: list[str], env: dict[str, str], timeout: float) -> tuple[float | None, int, str]:
    """(seconds or None when it ran out of time, peak RSS in MB of the command's
    largest process, descendants such as pg_dump included, last output line)."""
    with tempfile.TemporaryFile() as out:
        t = time.monotonic()
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - t
        out.seek(0)
        text = out.read().decode(errors="replace")
    if proc.returncode == -9 and seconds >= timeout:
        return None, 0, ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[2:])} failed:\n{text[-3000:]}")
    lines = text.strip().splitlines()
    return seconds, usage.ru_maxrss // 1024, lines[-1] if lines else ""


def new_database(url: str, name: str) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--baseline-timeout", type=float, default=900.0)
    p.add_argument("--skip-baseline", action="store_true")
    args = p.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source_var = Path(os.environ.get("IMVO_VAR_DIR") or root / "source")
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "IMVO_TESTING"}}
        env.update(SECRET_KEY=secrets.token_urlsafe(40), IMVO_VAR_DIR=str(source_var))
        if not url:
            print("Building the SQLite demo ...", flush=True)
            subprocess.run([*IMVO, "demo", "--no-serve"], env=env | {"DEBUG": "1"}, check=True,
                           capture_output=True)  # fmt: skip
        print(f"database: {url or 'SQLite demo'}", flush=True)
        rows = []
        ways = [("native", [])] + ([] if args.skip_baseline else [("portable", ["--portable"])])
        for name, flags in ways:
            limit = args.baseline_timeout if name == "portable" else 7200.0
            archive = root / f"{name}.tar"
            secs, peak, line = timed(
                [*IMVO, "backup", "--include-keys", "--out", str(archive), *flags], env, limit
            )
            size = archive.stat().st_size / 1e6 if archive.exists() and secs else None
            print(f"  {name} backup: {secs and round(secs, 1)} s; {line}", flush=True)
            rsecs = rpeak = None
            if secs is not None:
                target_env = env | {"IMVO_VAR_DIR": str(root / f"restore-{name}")}
                target_url = ""
                if url:
                    target_url = new_database(url, f"{url.rsplit('/', 1)[1]}_restore")
                    target_env["DATABASE_URL"] = target_url
                try:
                    rsecs, rpeak, line = timed([*IMVO, "restore", str(archive)], target_env, limit)
                    print(f"  {name} restore: {rsecs and round(rsecs, 1)} s; {line}", flush=True)
                finally:
                    if target_url:
                        drop_database(target_url)
                archive.unlink(missing_ok=True)
            rows.append((name, secs, peak, size, rsecs, rpeak))

        def fmt(v: float | None, unit: str) -> str:
            return f"{v:,.1f} {unit}" if v is not None else f"> {args.baseline_timeout:.0f} s"

        print(
            f"\n{'':10} {'backup':>12} {'peak mem':>10} {'archive':>11} {'restore':>12} {'peak mem':>10}"
        )
        for name, secs, peak, size, rsecs, rpeak in rows:
            print(
                f"{name:10} {fmt(secs, 's'):>12} {peak:>7} MB {fmt(size, 'MB') if size else '-':>11} "
                f"{fmt(rsecs, 's') if secs else '-':>12} {(str(rpeak) + ' MB') if rpeak else '-':>10}"
            )
        print("(restore includes the verification: counts, checksums, decrypted samples)")


if __name__ == "__main__":
    main()
