"""Public covenant pages and API answers cost the same number of queries however
many members, themes and covenants there are (found by the load test,
docs/performance.md)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imvo.covenants.models import Theme
from imvo.testing import adhere, make_covenant, make_org


def _queries(client, path: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    return len(ctx), r


def _grow(covenant, n: int) -> None:
    k = Theme.objects.count()
    chapter = Theme.objects.create(code=f"ch-{k}", name_nl="H", name_en="Chapter")
    for i in range(n):
        adhere(covenant, make_org())
        Theme.objects.create(
            covenant=covenant, code=f"t{k}-{i}", name_nl="T", name_en=f"Theme {i}", parent=chapter
        )


@pytest.mark.django_db
def test_covenant_page_queries_do_not_grow_with_themes_and_members(client):
    client.cookies["django_language"] = "en"
    c = make_covenant()
    _grow(c, 1)
    few, _ = _queries(client, c.get_absolute_url())
    _grow(c, 6)
    many, r = _queries(client, c.get_absolute_url())
    assert many == few
    assert "(OECD chapter: Chapter)" in r.content.decode()


@pytest.mark.django_db
def test_api_covenant_list_counts_in_the_database(client):
    c = make_covenant()
    adhere(c, make_org())
    adhere(c, make_org(), role="stakeholder")
    adhere(c, make_org(), status="withdrawn")
    few, _ = _queries(client, "/api/covenants")
    for _ in range(4):
        other = make_covenant()
        for _ in range(3):
            adhere(other, make_org())
    many, r = _queries(client, "/api/covenants")
    assert many == few
    mine = next(x for x in r.json() if x["slug"] == c.slug)
    # Only active adherences count, by role.
    assert (mine["parties"], mine["stakeholders"]) == (1, 1)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/covenants")
    assert not any('covenants_adherence"."since' in q["sql"] for q in ctx.captured_queries), (
        "the list must not load every adherence row"
    )


@pytest.mark.django_db
def test_public_fragments_are_cached_until_the_data_changes(client):
    client.cookies["django_language"] = "en"
    c = make_covenant(name_en="Tin covenant")
    adhere(c, make_org("First Member B.V."))
    for path in ("/", c.get_absolute_url()):
        client.get(path)  # fills the cache
        hit, r = _queries(client, path)
        assert "First Member B.V." in r.content.decode() or path == "/"
        assert "Tin covenant" in r.content.decode()
        assert hit <= 4, f"{path}: a cached answer should cost almost no queries"
    adhere(c, make_org("Second Member B.V."))
    c.name_en = "Tin and tungsten covenant"
    c.save()
    _, r = _queries(client, "/")
    assert "Tin and tungsten covenant" in r.content.decode()
    assert ">1 party<" not in r.content.decode()
    _, r = _queries(client, c.get_absolute_url())
    assert "Second Member B.V." in r.content.decode()
