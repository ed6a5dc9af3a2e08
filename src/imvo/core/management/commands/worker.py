"""Run the background worker for whichever task backend is configured."""

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

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        backend = settings.TASK_BACKEND
        if backend == "redis":
            kwargs: dict[str, Any] = {"continuous": not opts["batch"]}
            if opts["max_tasks"]:
                kwargs["max_tasks"] = opts["max_tasks"]
            call_command("run_redis_tasks", **kwargs)
        elif backend == "database":
            kwargs = {"queue_name": "*", "reload": False, "startup_delay": False}
            if opts["batch"]:
                kwargs["batch"] = True
            if opts["max_tasks"]:
                kwargs["max_tasks"] = opts["max_tasks"]
            call_command("db_worker", **kwargs)
        else:
            self.stdout.write(
                f"TASK_BACKEND={backend} runs tasks in the web process; no worker needed."
            )
