"""Recurring chores, run by the background worker on a schedule it keeps in the
database; no cron needed.

Apps declare their daily chores in their ``AppConfig`` (``core.appconfig``)::

    daily_jobs = (("regulation-retention-purge", "services.retention.purge_expired",
                   "remove filed regulatory exports whose retention period has ended"),)

or register them in its ``connect()``::

    schedule.register_job("complaints-reminders", jobs.send_reminders,
                           every=timedelta(days=1), what="e-mail due and overdue cases")

A job is a plain function without arguments that returns a short summary for
operators (no personal data). `imvo worker` runs ``run_due_jobs()`` every
TICK_SECONDS beside its task loop. Each job's row in ``ScheduledJob`` records
when it last ran, how it went and when it runs next, and is the lock: a worker
claims a due job with one conditional UPDATE, so with several workers (or a
worker and `imvo jobs run`) a job runs once per turn. A claim lasts LEASE; a
worker that dies mid-job leaves the job to be claimed again after it.
`/health/` and the admin show the table.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("imvo.schedule")

TICK_SECONDS = float(os.environ.get("IMVO_SCHEDULER_TICK", "30"))
LEASE = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: timedelta
    what: str


_jobs: dict[str, Job] = {}


def register_job(name: str, func: Callable[[], object], every: timedelta, what: str) -> None:
    _jobs[name] = Job(name, func, every, what)


def jobs() -> list[Job]:
    return [_jobs[n] for n in sorted(_jobs)]


def sync_jobs(now: datetime | None = None) -> None:
    """One row per registered job, due at once when new; a changed interval is taken over."""
    from imvo.core.models import ScheduledJob

    now = now or timezone.now()
    for job in jobs():
        row, created = ScheduledJob.objects.get_or_create(
            name=job.name,
            defaults={
                "every_seconds": int(job.every.total_seconds()),
                "what": job.what,
                "next_run_at": now,
            },
        )
        if not created and (row.every_seconds, row.what) != (
            int(job.every.total_seconds()),
            job.what,
        ):
            ScheduledJob.objects.filter(pk=row.pk).update(
                every_seconds=int(job.every.total_seconds()), what=job.what
            )


def claim(name: str, now: datetime | None = None) -> bool:
    """Take the job for this process if it is due and nobody holds it."""
    from imvo.core.models import ScheduledJob

    now = now or timezone.now()
    taken = (
        ScheduledJob.objects.filter(name=name, next_run_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LEASE, last_started_at=now, last_status="running")
    )
    return taken == 1


def run_job(job: Job, now: datetime | None = None) -> str:
    """Run one claimed job and record the outcome; returns the status."""
    from django.db.models import F

    from imvo.core.models import ScheduledJob

    started = now or timezone.now()
    try:
        result = job.func()
        status, text = "ok", "" if result is None else str(result)[:2000]
        logger.info("job %s: %s", job.name, text, extra={"job": job.name})
    except Exception as e:
        status, text = "failed", f"{type(e).__name__}: {e}"[:2000]
        logger.exception("job %s failed", job.name, extra={"job": job.name})
    finished = timezone.now()
    ScheduledJob.objects.filter(name=job.name).update(
        locked_until=None,
        last_finished_at=finished,
        last_status=status,
        last_result=text,
        next_run_at=started + job.every,
        runs=F("runs") + 1,
        failures=F("failures") + (1 if status == "failed" else 0),
    )
    return status


def run_due_jobs(now: datetime | None = None) -> dict[str, str]:
    """Run every registered job that is due and not held elsewhere."""
    sync_jobs(now)
    done = {}
    for job in jobs():
        if claim(job.name, now):
            done[job.name] = run_job(job, now)
    return done


def record_heartbeat() -> None:
    from imvo.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(note="scheduler")


class SchedulerThread(threading.Thread):
    """Runs beside the worker's task loop: heartbeat and due jobs every tick."""

    def __init__(self, tick: float = TICK_SECONDS) -> None:
        super().__init__(name="imvo-scheduler", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                record_heartbeat()
                run_due_jobs()
            except Exception:
                logger.exception("scheduler tick failed")
            finally:
                connection.close()
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()


def housekeeping(now: datetime | None = None) -> str:
    """The platform's own records: heartbeats older than a week, finished background
    task results older than 30 days."""
    from django.apps import apps

    from imvo.core.models import WorkerHeartbeat

    now = now or timezone.now()
    beats, _ = WorkerHeartbeat.objects.filter(created__lt=now - timedelta(days=7)).delete()
    results = 0
    if apps.is_installed("django_tasks_db"):
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        results, _ = model.objects.filter(
            finished_at__lt=now - timedelta(days=30), status__in=["SUCCESSFUL", "FAILED"]
        ).delete()
    return f"removed {beats} old heartbeats and {results} finished task results"


def status() -> list[dict[str, object]]:
    """For /health/: each job's last run and whether it is late."""
    from imvo.core.models import ScheduledJob

    now = timezone.now()
    return [
        {
            "name": j.name,
            "last_status": j.last_status or "never run",
            "last_finished_at": j.last_finished_at.isoformat() if j.last_finished_at else None,
            "next_run_at": j.next_run_at.isoformat(),
            "late": j.is_late(now),
        }
        for j in ScheduledJob.objects.all()
    ]
