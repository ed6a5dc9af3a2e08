"""A list being read and checked reports its rows as it goes.

Before, the worker said nothing between "processing" and the preview: a long
parse looked stuck on the page, and after STUCK_AFTER without a word the page
offered "Run again" for a job that was still running. Now the reader and the row
checks report the rows done (written at most every PROGRESS_SECONDS), with the
step, and every report refreshes `progress_at`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from imvo.supplychain import parsing, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import make_registry
from imvo.supplychain.tests.test_services import LIST_A, upload


@pytest.fixture
def registry(db):
    return make_registry()


def test_reading_and_checking_report_their_rows_and_keep_the_job_alive(
    world, registry, monkeypatch
) -> None:
    monkeypatch.setattr(parsing, "PROGRESS_ROWS", 2)
    monkeypatch.setattr(services, "PROGRESS_SECONDS", 0)
    seen: list[tuple[str, int, int, bool]] = []
    real = services._report_progress

    def watched(list_id, step, done, total=None):
        # As if the job had been silent for longer than STUCK_AFTER (a long parse):
        # the report itself must make it alive again.
        old = timezone.now() - services.STUCK_AFTER - timedelta(minutes=5)
        SupplierList.objects.filter(pk=list_id).update(progress_at=old, started=old)
        real(list_id, step, done, total)
        sl = SupplierList.objects.get(pk=list_id)
        seen.append((sl.step, sl.rows_done, sl.rows_total, services.is_stuck(sl)))

    monkeypatch.setattr(services, "_report_progress", watched)
    sl = upload(world.member_a, world.covenant_x, rows=LIST_A)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    reading = [done for step, done, _total, _stuck in seen if step == "reading"]
    checking = [(done, total) for step, done, total, _stuck in seen if step == "checking"]
    # The CSV's 7 records (header and 6 rows), reported as they are read.
    assert reading == [0, 2, 4, 6]
    assert checking == [(0, 6), (2, 6), (4, 6), (6, 6)]
    assert [s for s, *_ in seen].count("matching") >= 2
    assert not any(stuck for *_, stuck in seen)


def test_reports_are_written_at_most_every_progress_seconds(world, registry, monkeypatch) -> None:
    monkeypatch.setattr(parsing, "PROGRESS_ROWS", 1)
    monkeypatch.setattr(services, "PROGRESS_SECONDS", 3600)
    steps: list[tuple[str, int]] = []
    real = services._report_progress

    def counted(list_id, step, done, total=None):
        steps.append((step, done))
        real(list_id, step, done, total)

    monkeypatch.setattr(services, "_report_progress", counted)
    upload(world.member_a, world.covenant_x, rows=LIST_A)
    # Only the start of each step: no row was worth a write within the hour.
    assert [s for s in steps if s[0] != "matching"] == [("reading", 0), ("checking", 0)]


def _page(user, sl: SupplierList, language: str) -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()


def test_the_list_page_shows_the_step_and_its_rows(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x, rows=LIST_A[:1])
    started = timezone.now() - timedelta(minutes=40)  # a long parse, still reporting
    SupplierList.objects.filter(pk=sl.pk).update(
        status=SupplierList.Status.PROCESSING,
        step=SupplierList.Step.READING,
        rows_done=3000,
        started=started,
        progress_at=timezone.now(),
    )
    page = _page(world.member_a, sl, "en")
    assert "Reading the file</strong>: 3,000 rows read so far" in page
    assert "Run again" not in page
    assert "Het bestand lezen</strong>: 3.000 rijen gelezen tot nu toe" in _page(
        world.member_a, sl, "nl"
    )
    SupplierList.objects.filter(pk=sl.pk).update(
        step=SupplierList.Step.CHECKING, rows_done=1200, rows_total=5000
    )
    page = _page(world.member_a, sl, "en")
    assert "Checking the rows</strong>:" in page and "1,200 of 5,000 rows" in page
    assert 'value="24"' in page
    assert "1.200 van 5.000 rijen" in _page(world.member_a, sl, "nl")
    assert "Run again" not in page
