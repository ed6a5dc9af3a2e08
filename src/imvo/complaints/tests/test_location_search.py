"""The complaint form's search of production locations (`filing.search_locations`,
through the supply chain's `public_facility_search`): it compares the query with the
lower-cased columns the public snapshot stores (sort_name, address_key, name_norm),
a plain LIKE, instead of UPPER() of the name and address of every row of every
public year; and it finds exactly what it found before."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from imvo.complaints.services import filing
from imvo.supplychain import seams
from imvo.supplychain import services as supply
from imvo.supplychain.models import PublicLocation
from imvo.supplychain.normalise import normalise_name
from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry, publish_with_members

pytestmark = pytest.mark.django_db

QUERIES = [
    "Dhaka Knit",
    "DHAKA",
    "gazipur industrial",
    "Road",
    "saigon sewing jsc",
    "Lotus Apparel",
    "Tekstil San.",
    "NO. 88",
    "ningbo evergreen garment co ltd",
    "Bursa",
    "Filler",
    "knit",
    "nothing like it",
]


def _before(query: str) -> set[int]:
    """What the search matched before: UPPER(name), UPPER(address), words of the name's
    normal form (case-insensitive), over every public row."""
    norm = normalise_name(query)
    words = [w for w in norm.split() if len(w) > 1] or [norm]
    cond = Q(name__icontains=query) | Q(address__icontains=query)
    for w in words:
        cond |= Q(name_norm__icontains=w)
    return set(PublicLocation.objects.filter(cond).values_list("facility_id", flat=True))


@pytest.fixture
def public_registry(world) -> None:
    make_registry()
    for member in (world.member_a, world.member_b):
        supply.upload_list(
            member, world.covenant_x, 2025, "list.csv", csv_bytes([list(r) for r in REGISTRY])
        )
    publish_with_members(world.covenant_x, 2025, world.secretariat_x)
    assert PublicLocation.objects.count() == len(REGISTRY) + 1  # and the filler's


@pytest.mark.usefixtures("public_registry")
@pytest.mark.parametrize("query", QUERIES)
def test_the_search_finds_what_it_found_before(world, query) -> None:
    found = {f["id"] for f in filing.search_locations(query, covenant=world.covenant_x)}
    assert found == _before(query)


@pytest.mark.usefixtures("public_registry")
def test_the_search_compares_the_snapshots_lower_cased_columns(world) -> None:
    with CaptureQueriesContext(connection) as queries:
        found = filing.search_locations("Dhaka KNIT", covenant=world.covenant_x)
    assert [f["name"] for f in found][:1] == ["Dhaka Knit Composite Ltd"]
    [search] = [q["sql"] for q in queries.captured_queries if "supplychain_publiclocation" in q["sql"]
                and "LIKE" in q["sql"]]  # fmt: skip
    assert "UPPER(" not in search
    like = {c for c in re.findall(r'"(\w+)"(?:::text)? LIKE', search)}
    assert like == {"sort_name", "address_key", "name_norm"}  # not "name", not "address"


@pytest.mark.usefixtures("public_registry")
def test_a_long_query_is_cut_to_the_fields_length(world, monkeypatch) -> None:
    """The search runs before the form is validated: a query of a megabyte (a 100 KB
    one took 2.5 s of a worker, growing faster than its length) is read as its first
    100 characters, what the field takes."""
    asked: list[str] = []
    real = seams.public_facility_search

    def spy(query: str, **kwargs: object) -> list[dict[str, object]]:
        asked.append(query)
        return real(query, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(filing, "public_facility_search", spy)
    found = filing.search_locations("Dhaka Knit " + "x " * 500_000, covenant=world.covenant_x)
    assert [len(q) for q in asked] == [filing.LOCATION_QUERY_MAX]
    assert "Dhaka Knit Composite Ltd" in [f["name"] for f in found]


@pytest.mark.usefixtures("public_registry")
def test_a_nul_character_is_no_server_error(world, client) -> None:
    """PostgreSQL refuses NUL in a text: the form's search and its covenant (posted,
    or in the address) answered a server error."""
    slug = world.covenant_x.slug
    r = client.post(
        "/complaints/new/", {"covenant": slug, "location_query": "dha\x00ka", "action": "search"}
    )
    assert r.status_code == 200 and "Dhaka Knit Composite Ltd" in r.content.decode()
    r = client.post(
        "/complaints/new/",
        {"covenant": slug + "\x00", "location_query": "dhaka", "action": "search"},
    )
    assert r.status_code == 200
    for url in ("/complaints/new/?covenant=%00", f"/complaints/new/?covenant={slug}%00"):
        assert client.get(url).status_code == 400  # core NulInQueryMiddleware
