"""Scheduled jobs: run by the worker on a schedule kept in the database, once per
turn however many workers run, visible on /health/ and in the admin."""

import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.core import schedule
from imvo.core.models import ScheduledJob
from imvo.core.tests.serving import IMVO, migrated_install, run_python, server_env, wait_for

pytestmark = pytest.mark.django_db


def test_every_chore_is_registered():
    names = {j.name for j in schedule.jobs()}
    assert {
        "complaints-reminders",
        "complaints-overdue",
        "complaints-retention-purge",
        "core-housekeeping",
    } <= names


def test_the_operations_guide_lists_every_job_and_no_other():
    """docs/operations.md's table of scheduled jobs is what the operator alerts on:
    it named five jobs while the worker ran seven."""
    import re
    from pathlib import Path

    guide = Path(__file__).resolve().parents[4] / "docs" / "operations.md"
    section = guide.read_text().split("## Scheduled jobs", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert documented == {j.name for j in schedule.jobs()}, (
        "add the job to the table in docs/operations.md, 'Scheduled jobs'"
    )


def test_due_jobs_run_once_and_are_scheduled_again():
    now = timezone.now()
    done = schedule.run_due_jobs(now)
    assert set(done) == {j.name for j in schedule.jobs()}
    assert set(done.values()) == {"ok"}
    row = ScheduledJob.objects.get(name="complaints-retention-purge")
    assert row.runs == 1 and row.locked_until is None
    assert row.next_run_at == now + timedelta(days=1)
    assert "closed case" in row.last_result
    assert schedule.run_due_jobs(now + timedelta(hours=1)) == {}  # not due again yet
    assert "complaints-overdue" in schedule.run_due_jobs(now + timedelta(days=1, seconds=1))


def test_a_claimed_job_is_not_claimed_again_until_its_lease_ends():
    schedule.sync_jobs()
    now = timezone.now()
    assert schedule.claim("core-housekeeping", now)
    assert not schedule.claim("core-housekeeping", now)  # a second worker
    assert schedule.claim("core-housekeeping", now + schedule.LEASE + timedelta(seconds=1))


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(monkeypatch):
    def broken() -> str:
        raise RuntimeError("mail server down")

    monkeypatch.setitem(
        schedule._jobs, "test-broken", schedule.Job("test-broken", broken, timedelta(hours=1), "x")
    )
    done = schedule.run_due_jobs()
    assert done["test-broken"] == "failed" and done["core-housekeeping"] == "ok"
    row = ScheduledJob.objects.get(name="test-broken")
    assert row.failures == 1 and "mail server down" in row.last_result


def test_housekeeping_removes_old_heartbeats():
    from imvo.core.models import WorkerHeartbeat

    old = WorkerHeartbeat.objects.create()
    WorkerHeartbeat.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=8))
    fresh = WorkerHeartbeat.objects.create()
    assert "removed 1 old heartbeats" in schedule.housekeeping()
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_health_and_admin_show_the_jobs(client, admin_client):
    schedule.run_due_jobs()
    jobs = {j["name"]: j for j in client.get("/health/").json()["scheduled_jobs"]}
    assert jobs["core-housekeeping"]["last_status"] == "ok"
    assert jobs["core-housekeeping"]["late"] is False
    page = admin_client.get("/admin/core/scheduledjob/").content.decode()
    assert "complaints-retention-purge" in page


@pytest.mark.slow
@pytest.mark.worker
def test_two_real_workers_run_each_job_once(tmp_path):
    var = tmp_path / "var"
    migrated_install(var)
    env = server_env(var, IMVO_SCHEDULER_TICK="0.3", LOG_FORMAT="json")
    workers = [
        subprocess.Popen(
            [*IMVO, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    try:
        count = (
            "from imvo.core.models import ScheduledJob, WorkerHeartbeat\n"
            "print(sorted(ScheduledJob.objects.values_list('name', 'runs')),"
            " WorkerHeartbeat.objects.count())"
        )
        wait_for(
            lambda: ", 0)" not in run_python(var, count) and "[]" not in run_python(var, count),
            90,
            "jobs",
        )
        time.sleep(3)  # ten more ticks of each worker
        out = run_python(var, count)
        assert "('core-housekeeping', 1)" in out and "('complaints-reminders', 1)" in out, out
        assert all(
            f"'{n}', 1)" in out for n in ["complaints-overdue", "complaints-retention-purge"]
        )
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
