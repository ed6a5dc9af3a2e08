"""The database task queue's leases (core/taskqueue.py): a task whose worker died
mid-task (its row left "running", its lease run out) is handed out again and
run by another worker; after the last attempt it is failed with a reason a
person reads, and `imvo tasks rerun ID` runs it again."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from imvo.core import taskqueue
from imvo.core.models import TaskLease, WorkerHeartbeat

TASK = "imvo.core.tasks.record_heartbeat"


@pytest.fixture
def database_queue(settings, monkeypatch):
    """The database backend as the default (tests run tasks immediately), and the
    worker's connection recycling off: it would close the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def running(note: str, started_ago: timedelta, worker: str = "dead-worker") -> Any:
    """A task row as a worker that took it and then died leaves it."""
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [note], "kwargs": {}},
        task_path=TASK,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - started_ago,
        worker_ids=[worker],
    )


def lease(task: Any, attempts: int, expires_in: timedelta, worker: str = "dead-worker") -> None:
    TaskLease.objects.create(
        task_id=task.pk,
        worker_id=worker,
        attempts=attempts,
        lease_until=timezone.now() + expires_in,
    )


def run_worker(worker_class: Any = None, worker_id: str = "new-worker") -> None:
    """One worker in batch mode: what is ready, then exit (as `imvo worker --batch`);
    the leased worker unless another class is given."""
    worker = (worker_class or taskqueue.leased_worker_class())(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.run()


def test_a_task_whose_worker_died_is_taken_over_by_another_worker(db, database_queue):
    dead = running("left behind", started_ago=timedelta(minutes=20))
    lease(dead, attempts=1, expires_in=-timedelta(minutes=1))  # no heartbeat for 6 minutes
    alive = running("still working", started_ago=timedelta(hours=2), worker="live-worker")
    lease(alive, attempts=1, expires_in=timedelta(minutes=4), worker="live-worker")

    run_worker()  # reclaims at start, then runs what is ready

    dead.refresh_from_db()
    assert dead.status == "SUCCESSFUL"
    assert dead.worker_ids == ["dead-worker", "new-worker"]
    assert WorkerHeartbeat.objects.filter(note="left behind").exists()  # it really ran
    assert not TaskLease.objects.filter(task_id=dead.pk).exists()  # gone with the task
    # A task whose worker still renews its lease (a long run) is left alone.
    alive.refresh_from_db()
    assert alive.status == "RUNNING"
    assert not WorkerHeartbeat.objects.filter(note="still working").exists()


def test_without_leases_a_dead_workers_task_stayed_running_for_ever(db, database_queue):
    """What django-tasks-db alone does: the plain worker never takes a running task."""
    from django_tasks_db.management.commands.db_worker import Worker

    dead = running("left behind", started_ago=timedelta(days=2))
    run_worker(Worker, worker_id="plain")
    dead.refresh_from_db()
    assert dead.status == "RUNNING"
    # With leases: a running task without a lease row counts as leased from its start.
    assert taskqueue.reclaim_expired().handed_out_again == [str(dead.pk)]
    assert TaskLease.objects.get(task_id=dead.pk).attempts == 1


def test_a_task_without_a_lease_is_reclaimed_only_after_the_lease_time(db):
    fresh = running("just taken", started_ago=timedelta(seconds=10))
    assert taskqueue.reclaim_expired() == taskqueue.Reclaimed([], [])
    fresh.refresh_from_db()
    assert fresh.status == "RUNNING"
    later = timezone.now() + taskqueue.LEASE + timedelta(seconds=1)
    assert taskqueue.reclaim_expired(now=later).handed_out_again == [str(fresh.pk)]


def test_the_heartbeat_keeps_a_long_task_leased(db):
    task = running("long", started_ago=timedelta(hours=3), worker="w1")
    assert taskqueue.start_lease(task.pk, "w1") == 1
    keeper = taskqueue.LeaseKeeper("w1")
    keeper.current = task.pk
    start = timezone.now()
    for minutes in range(0, 60, 4):  # an hour of heartbeats
        assert taskqueue.renew_lease(task.pk, "w1", now=start + timedelta(minutes=minutes))
        at = start + timedelta(minutes=minutes + 1)
        assert taskqueue.reclaim_expired(now=at) == taskqueue.Reclaimed([], [])
    keeper.beat()  # the keeper's own beat renews from now
    renewed = TaskLease.objects.get(task_id=task.pk).lease_until
    assert renewed is not None and renewed > timezone.now()
    # Another worker's lease is not renewed by this one.
    assert not taskqueue.renew_lease(task.pk, "w2")


def test_after_the_last_attempt_the_task_fails_with_a_reason_and_can_be_rerun(db, database_queue):
    task = running("kills its worker", started_ago=timedelta(minutes=30))
    lease(task, attempts=taskqueue.MAX_ATTEMPTS, expires_in=-timedelta(seconds=5))

    result = taskqueue.reclaim_expired()
    assert result.failed == [str(task.pk)] and result.handed_out_again == []
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at is not None
    assert task.exception_class_path == "imvo.core.taskqueue.WorkerLost"
    assert f"{taskqueue.MAX_ATTEMPTS} time(s)" in task.traceback
    assert "dead-worker" in task.traceback and "imvo tasks rerun" in task.traceback
    assert not TaskLease.objects.filter(task_id=task.pk).exists()

    listing = StringIO()
    call_command("tasks", stdout=listing)
    assert str(task.pk) in listing.getvalue() and "imvo tasks rerun" in listing.getvalue()

    out = StringIO()
    call_command("tasks", "rerun", str(task.pk), stdout=out)
    assert "ready" in out.getvalue()
    task.refresh_from_db()
    assert task.status == "READY" and task.traceback == "" and task.finished_at is None
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.filter(note="kills its worker").exists()


def test_attempts_are_counted_across_workers_until_the_limit(db):
    task = running("crashes", started_ago=timedelta(minutes=1))
    now = timezone.now()
    for attempt in range(1, taskqueue.MAX_ATTEMPTS + 1):
        assert taskqueue.start_lease(task.pk, f"worker-{attempt}", now=now) == attempt
        DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING")  # taken
        now += taskqueue.LEASE + timedelta(seconds=1)  # ... and its worker died
        outcome = taskqueue.reclaim_expired(now=now)
        if attempt < taskqueue.MAX_ATTEMPTS:
            assert outcome.handed_out_again == [str(task.pk)]
            assert DBTaskResult.objects.get(pk=task.pk).status == "READY"
        else:
            assert outcome.failed == [str(task.pk)]
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"


def test_rerun_refuses_what_is_not_failed_and_unknown_ids(db):
    task = running("busy", started_ago=timedelta(seconds=1))
    with pytest.raises(CommandError, match="not failed"):
        call_command("tasks", "rerun", str(task.pk))
    with pytest.raises(CommandError, match="No task"):
        call_command("tasks", "rerun", "00000000-0000-0000-0000-000000000000")
