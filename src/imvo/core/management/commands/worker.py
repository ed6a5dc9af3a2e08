"""Run the background worker for whichever task backend is configured, and the
scheduled jobs beside it (imvo/core/schedule.py)."""

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (database backend by default, redis when TASK_BACKEND=redis)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--batch", action="store_true", help="Process what is queued, then exit."
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not run the scheduled jobs (reminders, retention purge...) in this worker.",
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from imvo.core.schedule import SchedulerThread

        scheduler = None
        if not opts["no_schedule"] and not opts["batch"]:
            scheduler = SchedulerThread()
            scheduler.start()
        try:
            self._run(opts)
        finally:
            if scheduler is not None:
                scheduler.stop()

    def _run(self, opts: dict[str, Any]) -> None:
        backend = settings.TASK_BACKEND
        if backend == "redis":
            kwargs: dict[str, Any] = {"continuous": not opts["batch"]}
            if os.environ.get("LOG_FORMAT") == "json":
                # The redis worker prints its start banner and every task to stdout;
                # under `imvo serve` every line must be a JSON log line.
                kwargs["stdout"] = LogLines(logging.getLogger("imvo.worker"))
            if opts["max_tasks"]:
                kwargs["max_tasks"] = opts["max_tasks"]
            call_command("run_redis_tasks", **kwargs)
        elif backend == "database":
            self._run_database(opts)
        else:
            self.stdout.write(
                f"TASK_BACKEND={backend} runs tasks in the web process; this worker only "
                "runs the scheduled jobs (Ctrl-C stops it)."
            )
            import time

            while True:
                time.sleep(3600)

    def _run_database(self, opts: dict[str, Any]) -> None:
        """django-tasks-db's worker, with leases (core/taskqueue.py): a task whose
        worker died is handed out again after the lease, and failed after the
        last attempt, instead of staying "running" for ever."""
        from django.utils.crypto import get_random_string
        from django_tasks_db.management.commands.db_worker import Command as DbWorker

        from imvo.core.taskqueue import leased_worker_class

        DbWorker().configure_logging(int(opts.get("verbosity", 1)))
        worker = leased_worker_class()(
            queue_names=["*"],
            interval=1,
            batch=bool(opts["batch"]),
            backend_name="default",
            startup_delay=False,
            max_tasks=opts["max_tasks"] or None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()


class LogLines:
    """A text stream that writes each line as an INFO record of `logger`."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if line.strip():
                self.logger.info("%s", line.strip())
        return len(text)

    def flush(self) -> None:
        if self.pending.strip():
            self.logger.info("%s", self.pending.strip())
        self.pending = ""

    def isatty(self) -> bool:
        return False
