"""How many queries the draft report and the dashboard make (their own part: the
sections the other apps offer are theirs to count). Found with
CaptureQueriesContext: the draft read the secretariat's section texts twice and
each published version with its own two queries (and its stored HTML and PDF),
so a year with many editions cost more with every edition."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from imvo.core.registry import registry
from imvo.reporting.models import PublishedReport, SectionText

pytestmark = pytest.mark.django_db

DRAFT = "/reports/covenant-x/2025/draft/"


def _client(user: Any = None) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        c.force_login(user)
    return c


def _editions(covenant: Any, versions: range) -> None:
    for v in versions:
        for lang in ("nl", "en"):
            PublishedReport.objects.create(covenant=covenant, year=2025, version=v, language=lang,
                                           snapshot={"sections": []}, html="<p>x</p>", pdf=b"%PDF")  # fmt: skip


def _agreement(covenant: Any) -> None:
    from datetime import date

    from imvo.reporting.tests.helpers import measure
    from imvo.testing import make_agreement

    measure(make_agreement(covenant, number="1"), date(2025, 3, 31), "40")


def _tables(queries: list[dict[str, str]]) -> Counter[str]:
    """How often each table is read from (FROM or JOIN)."""
    return Counter(t for q in queries for t in set(re.findall(r'FROM "(\w+)"', q["sql"])))


def test_the_draft_reads_texts_and_editions_once(world) -> None:
    SectionText.objects.create(covenant=world.covenant_x, year=2025, section_key="members",
                               text_en="Our words")  # fmt: skip
    _editions(world.covenant_x, range(1, 4))
    c = _client(world.secretariat_x)
    with CaptureQueriesContext(connection) as q:
        page = c.get(DRAFT).content.decode()
    assert "Our words" in page and "v3 (" in page and "v1 (" in page
    tables = _tables(q.captured_queries)
    assert tables["reporting_sectiontext"] == 1
    assert tables["reporting_publishedreport"] == 1
    published = next(
        s["sql"] for s in q.captured_queries if "reporting_publishedreport" in s["sql"]
    )
    assert '"pdf"' not in published and '"html"' not in published


def test_the_drafts_own_queries_do_not_grow_with_its_editions(
    world, monkeypatch, django_assert_num_queries
) -> None:
    """Session, user, roles, the covenant; members; agreements, their themes and
    measurements; section texts; editions."""
    monkeypatch.setattr(registry, "report_sections", {})
    _agreement(world.covenant_x)
    c = _client(world.secretariat_x)
    _editions(world.covenant_x, range(1, 2))
    with django_assert_num_queries(10):
        assert c.get(DRAFT).status_code == 200
    _editions(world.covenant_x, range(2, 6))
    with django_assert_num_queries(10):
        assert c.get(DRAFT).status_code == 200


def test_the_dashboards_own_queries(world, monkeypatch, django_assert_num_queries) -> None:
    """The covenant; members; agreements, their themes and measurements; editions."""
    monkeypatch.setattr(registry, "report_sections", {})
    _agreement(world.covenant_x)
    _editions(world.covenant_x, range(1, 3))
    with django_assert_num_queries(6):
        assert _client().get("/reports/dashboard/covenant-x/").status_code == 200
