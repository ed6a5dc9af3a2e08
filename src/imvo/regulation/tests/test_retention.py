from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from imvo.covenants.models import Adherence
from imvo.regulation.models import RetainedDocument
from imvo.regulation.services import exports, retention
from imvo.regulation.tests.helpers import handed_in
from imvo.testing import client_for


def test_seven_years_and_a_leap_day() -> None:
    assert retention.keep_until(date(2026, 3, 1)) == date(2033, 3, 1)
    assert retention.keep_until(date(2024, 2, 29)) == date(2031, 2, 28)


def test_a_withdrawn_member_still_exports_and_downloads_its_filings(
    world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    doc = exports.check_esrs_draft(world.member_a, sub.pk, "json")
    Adherence.objects.filter(covenant=world.covenant_x, organisation=world.company_a).update(
        status=Adherence.Status.WITHDRAWN
    )
    c = client_for(world.member_a)
    assert c.get(f"/regulation/documents/{doc.pk}/").status_code == 200
    r = c.get(f"/regulation/submissions/{sub.pk}/csddd-pack.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    c.force_login(world.member_b)
    assert c.get(f"/regulation/documents/{doc.pk}/").status_code == 404


def test_the_daily_purge_removes_only_what_is_past_its_period(world, settings, tmp_path) -> None:
    from imvo.core import schedule

    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    old = exports.check_esrs_draft(world.member_a, sub.pk, "json")
    kept = exports.check_esrs_draft(world.member_a, sub.pk, "html")
    RetainedDocument.objects.filter(pk=old.pk).update(
        keep_until=timezone.localdate() - timedelta(days=1)
    )
    path = tmp_path / old.file.name
    assert path.exists()
    assert "regulation-retention-purge" in {j.name for j in schedule.jobs()}
    assert retention.purge_expired() == "removed 1 filed exports past their retention period"
    assert not path.exists()
    assert list(RetainedDocument.objects.all()) == [kept]
