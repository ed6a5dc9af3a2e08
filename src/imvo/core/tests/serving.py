"""Start `imvo serve` for real in a test: its own VAR_DIR, SQLite, a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

IMVO = [sys.executable, "-m", "imvo.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(var: Path, **extra: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "IMVO_TESTING", "DEBUG", "TASK_BACKEND"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        IMVO_VAR_DIR=str(var),
        SECRET_KEY="test-only-" + "k" * 50,
        IMVO_HTTPS="0",
        TASK_BACKEND="database",
        WEB_CONCURRENCY="1",
        # DEBUG on: no collectstatic at start (30 s of CPU, minutes on a busy CI
        # machine); the supervision, logs and limits under test do not depend on it.
        DEBUG="1",
    )
    env.update(extra)
    return env


def python(code: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess[str]:
    """`python -c code` in a fresh interpreter with exactly this environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_python(var: Path, code: str, **extra: str) -> str:
    """Run code in Django set up as the install in `var` would be; its output."""
    env = server_env(var, **extra) | {"DJANGO_SETTINGS_MODULE": "imvo.settings"}
    r = python("import django; django.setup()\n" + code, env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def migrated_install(var: Path, *covenant_slugs: str) -> None:
    """An install in `var` with its SQLite database migrated and these covenants in it."""
    var.mkdir(parents=True, exist_ok=True)
    code = "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n"
    if covenant_slugs:
        code += "from imvo.testing import make_covenant\n"
        code += "".join(f"make_covenant({slug!r})\n" for slug in covenant_slugs)
    run_python(var, code)


def children_of(pid: int) -> set[int]:
    """Every live descendant of pid (from /proc)."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(d.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for c in parents.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    log: Path
    var: Path
    seen: set[int] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def descendants(self) -> set[int]:
        found = children_of(self.process.pid)
        self.seen |= found
        return found

    def child_pid(self, argv_part: str) -> int | None:
        for pid in sorted(children_of(self.process.pid)):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if argv_part in cmd and Path(f"/proc/{pid}/stat").exists():
                stat = Path(f"/proc/{pid}/stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
                if ppid == self.process.pid:
                    return pid
        return None


def wait_for(predicate: Callable[[], object], timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def serving(var: Path, *args: str, **env: str) -> Iterator[Server]:
    """`imvo serve` on a fresh port; stopped (and reaped) at the end whatever happens."""
    var.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = var / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*IMVO, "serve", "--port", str(port), *args],
            env=server_env(var, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(process, port, log, var)
    try:
        wait_for(
            lambda: "Serving on" in server.output() or process.poll() is not None,
            timeout=300,
            what="the server",
        )
        assert process.poll() is None, server.output()[-3000:]
        server.descendants()
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in server.seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
