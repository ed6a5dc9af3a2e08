"""`imvo serve`: the web (gunicorn) and the background worker, supervised.

Both run as children of this process (imvo/core/supervisor.py): stopping it
with SIGTERM or Ctrl-C stops them, a child that dies is started again. The
application is warmed up before the port opens (imvo/core/served.py). Logs
are JSON lines on standard output; the access log is off unless
IMVO_ACCESS_LOG=1, and then holds no client address (docs/operations.md).
"""

from __future__ import annotations

import os
import socket
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.core.supervisor import Child, Supervisor, child_env, python_module


def _answers(host: str, port: int) -> bool:
    """The web answers its liveness check (it binds the port only once warmed up)."""
    try:
        with socket.create_connection((host, port), timeout=0.2):
            pass
        url = f"http://{host}:{port}/health/live/"
        with urllib.request.urlopen(url, timeout=5) as r:
            return bool(r.status == 200)
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Serve the platform on http://HOST:PORT: gunicorn and the background worker, "
        "stopped together by SIGTERM or Ctrl-C. --demo serves the demo database "
        "(debug on, plain http) without any other setting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background worker."
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Serve the demo database built by `imvo demo` (sets DEBUG=1; never in production).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.db import connection

        from imvo.core.squashed_migrations import half_applied_squashes, refusal

        half = half_applied_squashes(connection)
        if half:
            raise CommandError(refusal(half))
        call_command("migrate", verbosity=0, interactive=False)
        if not settings.DEBUG:
            from imvo.core.static_files import collect_if_changed

            if collect_if_changed():
                self.stdout.write("Static files collected (they changed since the last start)")
        host, port = opts["host"], opts["port"]
        env = child_env(
            LOG_FORMAT=os.environ.get("LOG_FORMAT", "json"),
            IMVO_BIND=f"{host}:{port}",
            WEB_CONCURRENCY=str(opts["workers"]),
        )
        children = [
            Child(
                "web",
                python_module(
                    "gunicorn",
                    "-c",
                    "python:imvo.core.gunicorn_conf",
                    "imvo.core.served:application",
                ),
                env,
            )
        ]
        if not opts["no_worker"]:  # also with TASK_BACKEND=immediate: it keeps the schedule
            children.append(Child("worker", python_module("imvo.cli", "worker"), env))

        self.stdout.write("Warming up; the address answers when ready (Ctrl-C stops everything)")
        self.stdout.flush()
        started = time.monotonic()

        def ready() -> None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Serving on http://{host}:{port}/ (ready after "
                    f"{time.monotonic() - started:.1f} s)"
                )
            )
            self.stdout.flush()

        Supervisor(children, grace=15.0).run(is_ready=lambda: _answers(host, port), on_ready=ready)
