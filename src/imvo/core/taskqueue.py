"""Leases for the database task queue (`TASK_BACKEND=database`, django-tasks-db).

django-tasks-db marks a task "running" when a worker takes it and "successful"
or "failed" when that worker finishes it. A worker that dies in between (killed,
out of memory, the machine restarted) leaves the task "running" for ever: no
other worker takes it, and nobody is told. `imvo worker` runs `LeasedWorker`,
which adds a lease:

- taking a task writes a `TaskLease` row: the attempt number, the worker, and
  the time the lease runs out, `LEASE` from now;
- while the task runs, a keeper thread in the same worker renews the lease every
  `HEARTBEAT` (a heartbeat): a task that runs for hours keeps its lease as long
  as its worker lives;
- every worker's keeper also looks, every `HEARTBEAT`, for running tasks whose
  lease has run out (`reclaim_expired`): their worker stopped renewing, so it
  is dead (or cut off). Such a task is handed out again (status "ready") while
  it has had fewer than `MAX_ATTEMPTS` attempts, and then marked "failed" with
  a reason a person can read (`WorkerLost`, in the task's traceback field);
  `imvo tasks rerun ID` runs it again once the cause is found.

A running task with no lease row (its worker died between taking it and
writing the lease, or it was taken by a worker without leases) counts as
leased from its start.

The numbers (`IMVO_TASK_LEASE_SECONDS`, `IMVO_TASK_HEARTBEAT_SECONDS`,
`IMVO_TASK_MAX_ATTEMPTS` change them): a heartbeat every 30 s, a lease of 5
minutes (ten missed heartbeats: a busy database or a long pause of the
process does not cost a task), 3 attempts. So a task whose worker died runs
again within 5 minutes and 30 seconds, and a task that kills its worker every
time (one that exhausts the memory) is failed after its third attempt, not
retried for ever.

A task handed out again runs from its start: tasks must be safe to run twice
(the supplier-list processing replaces its rows in one transaction; a scan is
recomputed). A worker that was only cut off, not dead, may still finish its
run; whichever finishes last writes the result. docs/operations.md.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

logger = logging.getLogger("imvo.tasks")

LEASE = timedelta(seconds=int(os.environ.get("IMVO_TASK_LEASE_SECONDS", "300")))
HEARTBEAT = timedelta(seconds=int(os.environ.get("IMVO_TASK_HEARTBEAT_SECONDS", "30")))
MAX_ATTEMPTS = int(os.environ.get("IMVO_TASK_MAX_ATTEMPTS", "3"))

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"


class WorkerLost(Exception):  # the name a person reads in the queue
    """The worker running a task stopped renewing its lease, too often."""


def _task_model() -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def lost_reason(attempts: int, worker: str, lease_until: datetime | None) -> str:
    """What a person reads on the failed task (the admin, `imvo tasks`)."""
    when = f"{lease_until:%Y-%m-%d %H:%M:%S %Z}" if lease_until else "unknown"
    return (
        f"The worker running this task stopped (it was killed, ran out of memory, or "
        f"the machine restarted) {attempts} time(s); the last one, worker {worker or '?'}, "
        f"stopped renewing its lease, which ran out at {when}. The task was not handed out "
        f"again after {MAX_ATTEMPTS} attempts. Find the cause (the worker's log, its "
        f"memory), then run it again with `imvo tasks rerun ID`."
    )


def start_lease(task_id: Any, worker_id: str, now: datetime | None = None) -> int:
    """A worker took the task: count the attempt and lease it for `LEASE`.
    Returns the attempt number (1 for the first)."""
    from imvo.core.models import TaskLease

    now = now or timezone.now()
    with transaction.atomic():
        lease, created = TaskLease.objects.select_for_update().get_or_create(
            task_id=task_id,
            defaults={"worker_id": worker_id, "attempts": 1, "lease_until": now + LEASE},
        )
        if not created:
            lease.attempts += 1
            lease.worker_id = worker_id
            lease.lease_until = now + LEASE
            lease.save(update_fields=["attempts", "worker_id", "lease_until"])
    return lease.attempts


def renew_lease(task_id: Any, worker_id: str, now: datetime | None = None) -> bool:
    """The heartbeat: push the lease on while the worker still holds it."""
    from imvo.core.models import TaskLease

    now = now or timezone.now()
    return bool(
        TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(
            lease_until=now + LEASE
        )
    )


def end_lease(task_id: Any) -> None:
    """The task finished (either way): its lease row goes."""
    from imvo.core.models import TaskLease

    TaskLease.objects.filter(task_id=task_id).delete()


@dataclass(frozen=True)
class Reclaimed:
    handed_out_again: list[str]
    failed: list[str]


def reclaim_expired(now: datetime | None = None) -> Reclaimed:
    """Running tasks whose lease ran out (or, without a lease, started longer
    than `LEASE` ago): hand each out again, or fail it after `MAX_ATTEMPTS`.
    Rows another worker is reclaiming at the same moment are skipped (locked)."""
    from imvo.core.models import TaskLease

    model = _task_model()
    now = now or timezone.now()
    leases = TaskLease.objects.filter(task_id=OuterRef("pk"))
    expired = model.objects.filter(status=RUNNING).filter(
        Exists(leases.filter(lease_until__lt=now))
        | (~Exists(leases) & Q(started_at__lt=now - LEASE))
    )
    again: list[str] = []
    failed: list[str] = []
    with transaction.atomic():
        for task in expired.select_for_update(skip_locked=True).order_by("started_at"):
            lease = TaskLease.objects.filter(task_id=task.pk).first()
            attempts = lease.attempts if lease else 1
            if attempts >= MAX_ATTEMPTS:
                task.status = FAILED
                task.finished_at = now
                task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                task.traceback = lost_reason(
                    attempts,
                    lease.worker_id if lease else "",
                    lease.lease_until if lease else None,
                )
                task.return_value = None
                task.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                        "return_value",
                    ]
                )
                TaskLease.objects.filter(task_id=task.pk).delete()
                failed.append(str(task.pk))
                logger.error(
                    "task %s (%s) failed: its worker was lost %d time(s)",
                    task.pk,
                    task.task_path,
                    attempts,
                )
            else:
                task.status = READY
                task.save(update_fields=["status"])
                if lease is None:  # count the attempt its worker did not record
                    TaskLease.objects.create(
                        task_id=task.pk, worker_id="", attempts=1, lease_until=None
                    )
                else:
                    TaskLease.objects.filter(pk=lease.pk).update(lease_until=None)
                again.append(str(task.pk))
                logger.warning(
                    "task %s (%s) handed out again: its worker stopped renewing the lease "
                    "(attempt %d of %d)",
                    task.pk,
                    task.task_path,
                    attempts,
                    MAX_ATTEMPTS,
                )
    return Reclaimed(again, failed)


def rerun(task_id: str) -> Any:
    """A person runs a failed task again: ready, with its attempts counted anew."""
    from imvo.core.models import TaskLease

    model = _task_model()
    with transaction.atomic():
        task = model.objects.select_for_update().filter(pk=task_id).first()
        if task is None:
            raise LookupError(f"No task with id {task_id}; `imvo tasks` lists them.")
        if task.status != FAILED:
            raise ValueError(
                f"Task {task_id} is {task.status.lower()}, not failed: only a failed task is "
                "run again."
            )
        task.status = READY
        task.started_at = None
        task.finished_at = None
        task.exception_class_path = ""
        task.traceback = ""
        task.return_value = None
        task.save()
        TaskLease.objects.filter(task_id=task.pk).delete()
    return task


class LeaseKeeper(threading.Thread):
    """In each worker: renews the lease of the task it runs and reclaims the
    tasks of dead workers, every `HEARTBEAT`."""

    def __init__(self, worker_id: str, every: timedelta = HEARTBEAT) -> None:
        super().__init__(name="imvo-task-leases", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.current: Any = None  # the id of the task this worker runs now
        self.stopped = threading.Event()

    def beat(self) -> None:
        current = self.current
        if current is not None:
            renew_lease(current, self.worker_id)
        reclaim_expired()

    def run(self) -> None:
        while not self.stopped.wait(self.every.total_seconds()):
            try:
                close_old_connections()
                self.beat()
            except Exception:
                logger.exception("task lease keeping failed")
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()


def leased_worker_class() -> type:
    """django-tasks-db's worker with leases (imported late: the package is only
    installed when the database backend is)."""
    from django_tasks_db.management.commands.db_worker import Worker

    class LeasedWorker(Worker):
        """Leases every task it runs; its keeper thread renews them and reclaims
        the tasks of workers that died."""

        def run(self) -> None:
            reclaim_expired()  # at start: tasks left by a worker that died before
            self.keeper = LeaseKeeper(self.worker_id)
            self.keeper.start()
            try:
                super().run()
            finally:
                self.keeper.stop()

        def run_task(self, db_task_result: Any) -> None:
            start_lease(db_task_result.pk, self.worker_id)
            self.keeper.current = db_task_result.pk
            try:
                super().run_task(db_task_result)
            finally:
                self.keeper.current = None
                end_lease(db_task_result.pk)

    return LeasedWorker
