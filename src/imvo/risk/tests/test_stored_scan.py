"""The scan is stored per disclosure version: computed when a version becomes current,
read (not recomputed) by the pages, and computed again once when its inputs change."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from imvo.risk import scan, services
from imvo.risk.scan import heatmap, theme_summary
from imvo.supplychain import disclosure
from imvo.supplychain import services as supplychain
from imvo.supplychain.models import DisclosureVersion
from imvo.supplychain.tests.helpers import csv_bytes

YEAR = timezone.now().year - 1

FIRST = [
    ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur", "BD"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "VN"],
]
SECOND = [
    ["Anatolia Tekstil A.S.", "Organize Sanayi Bolgesi 4. Cadde No 9, Bursa", "TR"],
    ["Ningbo Evergreen Garment", "88 Jiangnan Road, Ningbo", "CN"],
    ["Lahore Denim Mills", "12 Ferozepur Road, Lahore", "PK"],
]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the scans computed (each call scores rows against the indicators)."""
    calls: list[int] = []
    real = scan.scan_frame

    def counting(model: Any, rows: Any) -> Any:
        calls.append(rows.height)
        return real(model, rows)

    monkeypatch.setattr("imvo.risk.services.scan_frame", counting)
    return calls


@pytest.fixture
def upload(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Company A uploads a confirmed list; what waits for the commit (the scan of the
    new current version) runs as it would outside a test transaction."""

    def upload(rows: list[list[str]], name: str, mode: str | None = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            sl = supplychain.upload_list(
                world.member_a, world.covenant_x, YEAR, name, csv_bytes(rows), mode=mode
            )
        sl.refresh_from_db()
        assert sl.status == "done", sl.error
        return sl

    return upload


def current() -> DisclosureVersion:
    return DisclosureVersion.objects.get(is_current=True)


def stored_rows(version: DisclosureVersion) -> list[str]:
    version.refresh_from_db()
    assert version.risk_scan is not None
    return sorted(str(n) for n in version.risk_scan["rows"]["name"])


@pytest.mark.django_db
def test_the_scan_is_stored_when_the_version_becomes_current(
    world: Any, upload: Any, counted: list[int]
):
    upload(FIRST, "first.csv")
    assert counted == [2]  # scanned once, by the worker, when the version became current
    assert stored_rows(current()) == ["Dhaka Knit Composite Ltd", "Saigon Sewing JSC"]
    assert not services.is_stale(current().pk)


@pytest.mark.django_db
def test_viewing_the_page_twice_does_not_recompute(
    client: Any, world: Any, upload: Any, counted: list[int]
):
    upload(FIRST, "first.csv")
    counted.clear()
    client.force_login(world.member_a)
    for _ in range(2):
        r = client.get(reverse("risk:dashboard"))
        assert r.status_code == 200 and "Bangladesh (BD)" in r.content.decode()
    assert counted == [], "the page read the stored scan"


@pytest.mark.django_db
def test_a_new_version_gets_a_new_scan(world: Any, upload: Any, counted: list[int]):
    upload(FIRST, "first.csv")
    first = current()
    upload(SECOND, "second.csv", mode="add")
    second = current()
    assert second.pk != first.pk and counted == [2, 5]
    assert len(stored_rows(second)) == 5 and len(stored_rows(first)) == 2
    scan = services.company_scan(world.company_a)
    assert scan.rows.height == 5 and counted == [2, 5]


@pytest.mark.django_db
def test_restoring_an_earlier_version_shows_that_versions_scan(
    client: Any,
    world: Any,
    upload: Any,
    counted: list[int],
    django_capture_on_commit_callbacks: Any,
):
    upload(FIRST, "first.csv")
    first = current()
    upload(SECOND, "second.csv", mode="replace")
    assert services.company_scan(world.company_a).rows.height == 3
    counted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restored = disclosure.restore_version(world.member_a, first)
    # The restored version takes the earlier version's stored scan: nothing is scanned.
    assert counted == []
    assert stored_rows(restored) == stored_rows(first)
    client.force_login(world.member_a)
    body = client.get(reverse("risk:dashboard")).content.decode()
    assert "(VN)</th>" in body and "(TR)</th>" not in body and "(PK)</th>" not in body
    assert counted == []


@pytest.mark.django_db
def test_an_indicator_import_makes_the_stored_scan_stale(
    world: Any, upload: Any, counted: list[int], tmp_path: Any
):
    upload(FIRST, "first.csv")
    version = current()
    before = services.company_scan(world.company_a)
    counted.clear()
    ituc = tmp_path / "ituc_global_rights_index_2025.json"
    ituc.write_text(json.dumps({"BGD": {"rating": 1, "category": "Sporadic violations"}}))
    services.import_source("ituc", ituc)
    assert services.is_stale(version.pk)
    after = services.company_scan(world.company_a)
    assert counted == [2]  # computed again, once
    assert not services.is_stale(version.pk)
    services.company_scan(world.company_a)
    assert counted == [2]
    assert "ITUC Global Rights Index 2025" in " ".join(after.attribution)
    assert before.attribution != after.attribution


@pytest.mark.django_db
def test_hand_entered_sourcing_makes_the_stored_scan_stale(
    world: Any, upload: Any, counted: list[int]
):
    upload(FIRST, "first.csv")
    version = current()
    counted.clear()
    entry = services.add_sourcing(world.member_a, world.company_a, "Ghana", "food", "Cocoa")
    assert services.is_stale(version.pk)
    assert services.company_scan(world.company_a).rows.height == 3 and counted == [3]
    services.remove_sourcing(world.member_a, entry)
    assert services.company_scan(world.company_a).rows.height == 2 and counted == [3, 2]


@pytest.mark.django_db
def test_the_stored_scan_reads_back_equal_to_the_computed_one(world: Any, upload: Any):
    services.add_sourcing(world.member_a, world.company_a, "Ghana", "food", "Cocoa")
    upload(FIRST, "first.csv")
    stored = services.company_scan(world.company_a)
    fresh = services.scan_records(services.supplier_rows_for(world.company_a))
    assert stored.rows.equals(fresh.rows.cast(stored.rows.schema))
    assert (
        stored.scores.sort("row_id", "theme").rows() == fresh.scores.sort("row_id", "theme").rows()
    )
    assert stored.combos == json.loads(json.dumps(fresh.combos))


@pytest.mark.django_db
def test_the_covenant_analysis_puts_the_stored_scans_side_by_side(
    world: Any, upload: Any, counted: list[int], django_capture_on_commit_callbacks: Any
):
    upload(FIRST, "first.csv")
    with django_capture_on_commit_callbacks(execute=True):
        supplychain.upload_list(
            world.member_b, world.covenant_x, YEAR, "b.csv", csv_bytes([*SECOND, FIRST[0]])
        )
    services.add_sourcing(world.member_b, world.company_b, "Ghana", "food", "Cocoa")
    services.company_scan(world.company_b)  # the hand-entered line: B's scan once more
    counted.clear()
    analysis = services.covenant_analysis(world.covenant_x)
    assert counted == []  # nothing scored again: each member's stored scan is read
    # The same as scanning every member's rows together.
    rows = [
        dataclasses.replace(r, row_id=f"{org.pk}-{r.row_id}")
        for org in (world.company_a, world.company_b)
        for r in services.supplier_rows_for(org, world.covenant_x)
    ]
    together = services.scan_records(rows)
    assert analysis["companies"] == 2 and analysis["rows"] == together.rows.height == 7
    assert analysis["themes"] == theme_summary(together)
    assert analysis["heatmap"] == heatmap(together)


@pytest.mark.django_db
def test_a_disclosure_carried_forward_is_scanned_when_it_becomes_current(
    world: Any, upload: Any, counted: list[int], django_capture_on_commit_callbacks: Any
):
    upload(FIRST, "first.csv")
    counted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        carried = disclosure.carry_forward(world.member_a, world.covenant_x, YEAR + 1)
    assert counted == [2]  # the copies' rows, scanned once
    assert stored_rows(carried) == ["Dhaka Knit Composite Ltd", "Saigon Sewing JSC"]
    assert services.company_scan(world.company_a).rows.height == 2 and counted == [2]


@pytest.mark.django_db
def test_the_covenant_analysis_asks_the_database_as_often_for_10_members_as_for_3(
    world: Any, django_capture_on_commit_callbacks: Any
):
    """One query per member made the analysis of a covenant of 114 members ~500 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imvo.accounts.testing import make_user
    from imvo.testing import adhere, make_org

    def members(first: int, last: int) -> None:
        for n in range(first, last):
            org = make_org(f"Member {n}")
            adhere(world.covenant_x, org)
            user = make_user(organisation=org)
            if n % 3 != 2:  # most disclose a list; some enter their sourcing by hand only
                with django_capture_on_commit_callbacks(execute=True):
                    supplychain.upload_list(user, world.covenant_x, YEAR, "l.csv", csv_bytes(FIRST))
            if n % 3 == 2 or n % 2:
                services.add_sourcing(user, org, "Ghana", "food", "Cocoa")

    def queries() -> tuple[int, int]:
        services.covenant_analysis(world.covenant_x)  # stores the scans the hand lines made stale
        with CaptureQueriesContext(connection) as ctx:
            analysis = services.covenant_analysis(world.covenant_x)
        return len(ctx.captured_queries), analysis["companies"]

    members(0, 3)
    few, companies = queries()
    assert companies == 3
    members(3, 10)
    many, companies = queries()
    assert companies == 10
    assert many == few
