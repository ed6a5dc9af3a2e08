"""`imvo tasks [list] [--all] | rerun ID`: the database queue's background tasks.

`list` shows the running tasks with their lease and the failed ones with their
reason (a worker lost too often, or the task's own error); `rerun ID` runs a
failed task again, once its cause is found (core/taskqueue.py)."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Background tasks of the database queue: `list` shows running tasks (with their "
        "lease and attempt) and failed ones (with the reason); `rerun ID` runs a failed "
        "task again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="list", choices=["list", "rerun"])
        parser.add_argument("ids", nargs="*")
        parser.add_argument("--all", action="store_true", help="List ready and successful too.")

    def handle(self, *args: Any, **opts: Any) -> None:
        from imvo.core import taskqueue
        from imvo.core.models import TaskLease

        if not apps.is_installed("django_tasks_db"):
            raise CommandError("The database task queue is not installed (TASK_BACKEND).")
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        if opts["action"] == "rerun":
            if not opts["ids"]:
                raise CommandError(
                    "Name the task: `imvo tasks rerun ID` (`imvo tasks` lists them)."
                )
            for task_id in opts["ids"]:
                try:
                    task = taskqueue.rerun(task_id)
                except (LookupError, ValueError) as e:
                    raise CommandError(str(e)) from e
                self.stdout.write(
                    f"{task.pk} {task.task_path}: ready, runs at the next free worker"
                )
            return
        rows = model.objects.order_by("-enqueued_at")
        if not opts["all"]:
            rows = rows.filter(status__in=["RUNNING", "FAILED"])
        leases = {lease.task_id: lease for lease in TaskLease.objects.all()}
        for t in rows[:200]:
            line = f"{t.pk} {t.status:<10} {t.task_path}"
            lease = leases.get(t.pk)
            if lease is not None:
                until = f"{lease.lease_until:%Y-%m-%d %H:%M:%S}" if lease.lease_until else "-"
                line += f"  attempt {lease.attempts}/{taskqueue.MAX_ATTEMPTS}, lease until {until}"
            if t.status == "FAILED":
                reason = (t.traceback or "").strip().splitlines()
                line += f"  {reason[-1] if reason else t.exception_class_path}"
            self.stdout.write(line)
