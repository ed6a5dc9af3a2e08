"""Serve the platform: gunicorn for the web, plus a background worker process."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform on http://HOST:PORT with a background worker beside it."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background worker."
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        call_command("migrate", verbosity=0, interactive=False)
        if not settings.DEBUG:
            call_command("collectstatic", verbosity=0, interactive=False)
        worker = None
        if not opts["no_worker"] and settings.TASK_BACKEND != "immediate":
            worker = subprocess.Popen([sys.executable, "-m", "imvo.cli", "worker"])
        bind = f"{opts['host']}:{opts['port']}"
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{bind}/  (Ctrl-C stops)"))
        try:
            subprocess.call(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "imvo.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(opts["workers"]),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "5",
                ]
            )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
