"""A real background worker (a separate `imvo db_worker` process on the same
database and media folder) processes an uploaded supplier list."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from imvo.core.tests.shared_database import shared_database_url
from imvo.supplychain import services
from imvo.supplychain.models import Match, SupplierList, SupplierListRow
from imvo.supplychain.tests.helpers import csv_bytes, make_registry
from imvo.supplychain.tests.test_services import LIST_A, YEAR


def _worker_env() -> dict[str, str]:
    """The worker process on this test's database and folders."""
    return {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "TASK_BACKEND": "database",
        "IMVO_VAR_DIR": str(settings.VAR_DIR),
        "IMVO_MATCHING_INDEX_DIR": str(settings.IMVO_MATCHING_INDEX_DIR),
    }


def _run_worker_batch(env: dict[str, str], timeout: int) -> subprocess.CompletedProcess[str]:
    """Run the worker until the queue is empty."""
    return subprocess.run(
        [sys.executable, "-m", "imvo.cli", "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_process_runs_the_job(world) -> None:
    registry = make_registry()
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes(LIST_A))
    sl.refresh_from_db()
    assert (
        sl.status == SupplierList.Status.QUEUED and sl.rows.count() == 0
    )  # waiting for the worker
    env = _worker_env()
    done = _run_worker_batch(env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, (sl.error, done.stderr[-2000:])
    assert sl.rows_done == sl.rows_total == 6 and sl.summary["automatic"] >= 2
    assert sl.rows.get(number=2).match.facility == registry[0]


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_killed_mid_job_leaves_nothing_half_saved_and_the_rerun_completes(world) -> None:
    """kill -9 the worker while it processes a list, then run the list again."""
    import signal
    import time
    from datetime import timedelta

    from django.utils import timezone

    make_registry()
    rows = [
        [f"Factory {i} Garments Ltd", f"Plot {i}, Road {i % 97}, Gazipur", "BD"]
        for i in range(30000)
    ]
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "big.csv", csv_bytes(rows))
    env = _worker_env()
    worker = subprocess.Popen(
        [sys.executable, "-m", "imvo.cli", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            sl.refresh_from_db()
            if sl.status == SupplierList.Status.PROCESSING and sl.rows_done > 0:
                break
            time.sleep(0.05)
        assert sl.status == SupplierList.Status.PROCESSING, sl.status
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    sl.refresh_from_db()
    # Each stage is written in one transaction: the parsed and validated rows all
    # or none, and the matches only at the end, so an interrupted job leaves no
    # half-written stage and no match at all.
    assert sl.status == SupplierList.Status.PROCESSING
    assert sl.rows.count() in (0, 30000)
    assert not Match.objects.filter(row__supplier_list=sl).exists()
    assert not sl.rows.exclude(stage=SupplierListRow.Stage.VALIDATED).exists()
    assert not sl.versions.exists()  # nothing became part of the disclosure
    # A job that was just running cannot be started twice...
    with pytest.raises(services.DomainError):  # type: ignore[attr-defined]
        services.run_again(world.member_a, sl)
    # ...but once it has been silent for the stuck period (the worker died), it can.
    silent_since = timezone.now() - services.STUCK_AFTER - timedelta(minutes=1)
    SupplierList.objects.filter(pk=sl.pk).update(started=silent_since, progress_at=silent_since)
    services.run_again(world.member_a, sl)
    done = _run_worker_batch(env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    assert sl.rows.count() == sl.rows_total == 30000
    numbers = list(sl.rows.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)  # no row twice
