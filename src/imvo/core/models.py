"""Operational records of the platform itself (not domain data)."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Written by the background worker, so operators can see it is alive (/health/)."""

    created = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"heartbeat {self.created:%Y-%m-%d %H:%M:%S}"


class ScheduledJob(models.Model):
    """One recurring chore the worker runs (imvo/core/schedule.py), with its last run.

    The row is also the lock: a worker claims a due job by moving
    ``locked_until`` forward in one UPDATE, so two workers never run it twice.
    """

    name = models.CharField(max_length=100, unique=True)
    what = models.CharField(max_length=300, blank=True)
    every_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField(default=timezone.now, db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)
    last_result = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_late(self, now: object = None) -> bool:
        """Due for longer than one interval (or an hour): the worker is not running it."""
        from datetime import timedelta

        now = now or timezone.now()
        grace = timedelta(seconds=max(3600, self.every_seconds))
        return bool(self.next_run_at + grace < now)  # type: ignore[operator]


class TaskLease(models.Model):
    """The lease of one background task of the database queue (core/taskqueue.py):
    how many times a worker took it, which worker holds it, and until when. A
    running task whose lease ran out lost its worker and is handed out again,
    up to `taskqueue.MAX_ATTEMPTS` attempts. Kept beside django-tasks-db's own
    table (a third-party model), by the task's id; gone when the task ends."""

    task_id = models.UUIDField(unique=True)
    worker_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"lease of task {self.task_id} (attempt {self.attempts})"


class RateCounter(models.Model):
    """Attempts of one kind from one client in one fixed time window (core/ratelimit.py).

    In the database so that every server process counts in one place. ``key``
    is the kind and a keyed hash of the client (address or e-mail), never the
    client itself; a kind's rows of past windows are deleted when its next
    window opens.
    """

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="core_unique_rate_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} from {self.window_start}: {self.count}"
