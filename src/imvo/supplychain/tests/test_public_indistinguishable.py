"""What the public list promises a member (docs/supplychain.md, "What a filter's
refusal protects"): nobody can tell from any public answer whether a country's
locations are one member's list or several members' locations.

The unfiltered list carries each location's country (page, API, CSV, JSON, XLSX),
so a reader can select a country the filters withhold below K: that is allowed,
because the rows say nothing of who stands behind them. This test holds that: two
covenants' worlds that differ only in whether Myanmar's three locations are one
member's or three members', with the same members and the same number of members
at every location, give byte-identical public answers on every surface (the
unfiltered page, API and downloads, the Myanmar filter, the map and the report
figures). A surface that let one tell them apart (an exact member count, a count
of members per country, a member-dependent order) fails it."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.supplychain import public as pub
from imvo.supplychain import publication, services
from imvo.supplychain.models import (
    Disclosure,
    DisclosurePolicy,
    PublicLocationMember,
    PublishedYear,
    SupplierList,
)
from imvo.supplychain.tests.helpers import csv_bytes, make_facility
from imvo.supplychain.tests.test_services import YEAR
from imvo.testing import adhere, make_org

MM = [
    ("Golden Lotus Garments", "12 Pyay Road, Yangon", "MM"),
    ("Irrawaddy Sewing Works", "Plot 7, Shwe Pyi Thar Industrial Zone", "MM"),
    ("Shwe Textile Factory", "45 Hlaing Tharyar Street, Yangon", "MM"),
]
BD = [
    ("Padma Knitwear", "Plot 3, Ashulia Road, Savar", "BD"),
    ("Meghna Denim Mills", "Road 9, Narayanganj", "BD"),
    ("Jamuna Apparel", "Holding 21, Tongi, Gazipur", "BD"),
    ("Karnaphuli Fabrics", "CEPZ Sector 4, Chittagong", "BD"),
    ("Teesta Sweaters", "Plot 88, Mirpur 11, Dhaka", "BD"),
]
MM1, MM2, MM3 = MM
BD1, BD2, BD3, BD4, BD5 = BD

# Who discloses what. Every location has the same number of members in both worlds
# (Myanmar's 1 each, BD1-BD4 2, BD5 1) and both have the same five members; only
# Myanmar differs: one member's three locations, or three members' one each.
ONE_MEMBER = [[MM1, MM2, MM3, BD1], [BD1, BD2], [BD2, BD3], [BD3, BD4], [BD4, BD5]]
THREE_MEMBERS = [[MM1, BD1], [MM2, BD1, BD2], [MM3, BD2, BD3], [BD3, BD4], [BD4, BD5]]


def _same_every_time(page: str) -> str:
    """A page without what differs on every request (the CSP nonce, the CSRF token)."""
    page = re.sub(r'nonce="[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _answers(client: Any, slug: str) -> dict[str, Any]:
    base_page = f"/supply-chain/public/{slug}/"
    api = f"/api/public/production-locations/{slug}"
    out: dict[str, Any] = {}
    for name, query in (("all", ""), ("myanmar", "country=MM"), ("bd", "country=BD")):
        page = client.get(f"{base_page}?{query}").content.decode()
        out[f"page {name}"] = _same_every_time(page)
        out[f"api {name}"] = client.get(f"{api}?{query}").json()
        for fmt in ("csv", "json"):
            out[f"{fmt} {name}"] = client.get(f"{base_page}?{query}&format={fmt}").content
        xlsx = client.get(f"{base_page}?{query}&format=xlsx").content
        with zipfile.ZipFile(io.BytesIO(xlsx)) as z:  # its sheets, not the time it was made
            out[f"xlsx {name}"] = {n: z.read(n) for n in z.namelist() if n.startswith("xl/")}
    out["map"] = _same_every_time(client.get(f"{base_page}map/").content.decode())
    return out


def _build(world: Any, members: list[Any], lists: list[list[tuple[str, str, str]]]) -> None:
    for user, rows in zip(members, lists, strict=True):
        services.upload_list(
            user, world.covenant_x, YEAR, "l.csv", csv_bytes([list(r) for r in rows])
        )
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)


def _clear(world: Any) -> None:
    PublishedYear.objects.filter(covenant=world.covenant_x).delete()
    Disclosure.objects.filter(covenant=world.covenant_x).delete()
    SupplierList.objects.filter(covenant=world.covenant_x).delete()
    publication.bump_public_list_version()


def _myanmar_members_and_all(world: Any) -> tuple[int, int]:
    """How many members the published year holds in Myanmar, and in all."""
    published = PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR)
    in_myanmar = PublicLocationMember.objects.filter(
        published_year=published, location__country="MM"
    ).values_list("organisation_id", flat=True)
    return len(set(in_myanmar)), published.members


@pytest.mark.django_db
def test_no_public_answer_tells_one_members_country_list_from_several(
    client: Any, world: Any
) -> None:
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=5)
    for row in MM + BD:
        make_facility(*row)
    members = [world.member_a, world.member_b]
    for n in range(3):
        org = make_org(f"Member {n + 3}")
        adhere(world.covenant_x, org)
        members.append(make_user(organisation=org))
    slug = world.covenant_x.slug

    _build(world, members, ONE_MEMBER)
    assert _myanmar_members_and_all(world) == (1, 5)
    one = _answers(client, slug)
    figures_one = pub.covenant_figures(world.covenant_x, YEAR)

    _clear(world)
    _build(world, members, THREE_MEMBERS)
    assert _myanmar_members_and_all(world) == (3, 5)
    three = _answers(client, slug)

    # The unfiltered list shows Myanmar's locations with their country, in both.
    for name, _address, _country in MM:
        assert name in one["page all"] and name in one["csv all"].decode()
    assert [f["country"] for f in one["api all"]].count("MM") == 3
    # The Myanmar filter is withheld in both (fewer than K = 5 members either way).
    assert one["api myanmar"] == [] and "Fewer than 5 members" in one["page myanmar"]
    for key in one:
        assert one[key] == three[key], key
    assert figures_one == pub.covenant_figures(world.covenant_x, YEAR)
