"""Keep the platform's processes running, and stop them together.

`imvo serve` starts gunicorn (the web) and the background worker as children
of one supervising process:

- SIGTERM or SIGINT to the supervisor stops every child (SIGTERM, then
  SIGKILL after ``grace`` seconds) and then the supervisor itself;
- a child that dies on its own is started again, after a pause that doubles
  with every quick failure (1 s up to 30 s);
- children get SIGTERM from the kernel when the supervisor dies, even by
  SIGKILL (Linux ``PR_SET_PDEATHSIG``), so no orphan keeps serving the port.

Every event is a log line (JSON under `imvo serve`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger("imvo.serve")

PR_SET_PDEATHSIG = 1
MAX_BACKOFF = 30.0
# A child that ran at least this long had started fine: its next failure starts
# the back-off from the beginning.
HEALTHY_AFTER = 60.0


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One supervised program."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 1.0
    restart_at: float | None = None
    pids: list[int] = field(default_factory=list)

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            list(self.argv), env=self.env, preexec_fn=_die_with_parent
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        self.pids.append(self.process.pid)
        logger.info(
            "%s started", self.name, extra={"child": self.name, "child_pid": self.process.pid}
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(self, children: Sequence[Child], grace: float = 10.0, poll: float = 0.2) -> None:
        self.children = list(children)
        self.grace = grace
        self.poll = poll
        self.stopping = False
        self.stop_signal: int | None = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        self.stop_signal = signum

    def run(
        self,
        is_ready: Callable[[], bool] | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> int:
        """Start the children and watch them until a stop signal; returns an exit code.
        ``on_ready`` is called once, when ``is_ready()`` first answers True."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            for child in self.children:
                child.start()
            announced = is_ready is None
            while not self.stopping:
                self._watch()
                if not announced and is_ready is not None and is_ready():
                    announced = True
                    if on_ready is not None:
                        on_ready()
                time.sleep(self.poll)
            logger.info(
                "stopping (%s)",
                signal.Signals(self.stop_signal).name if self.stop_signal else "requested",
            )
            self.stop()
            return 0
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _watch(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.alive():
                continue
            if child.restart_at is None:
                code = child.process.returncode if child.process else None
                if now - child.started_at >= HEALTHY_AFTER:
                    child.backoff = 1.0
                child.restart_at = now + child.backoff
                logger.warning(
                    "%s exited with %s; starting it again in %.0f s",
                    child.name,
                    code,
                    child.backoff,
                    extra={"child": child.name, "exit_code": code},
                )
                child.backoff = min(child.backoff * 2, MAX_BACKOFF)
            elif now >= child.restart_at and not self.stopping:
                child.restarts += 1
                child.start()

    def stop(self) -> None:
        """SIGTERM every child, wait up to ``grace`` seconds, SIGKILL what is left."""
        running = [c for c in self.children if c.alive()]
        for child in running:
            assert child.process is not None
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in %.0f s; killing it", child.name, self.grace)
                child.process.kill()
                child.process.wait()
            logger.info("%s stopped", child.name, extra={"child": child.name})


def python_module(module: str, *args: str) -> list[str]:
    """argv that runs a module with this interpreter."""
    return [sys.executable, "-m", module, *args]


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env
