"""The public list's search over one column (public._matching, PublicLocation.search_key):
the same rows as the three folded columns asked one by one (name, normal form
of the name, address), never a match across two of them; the column written by
publishing and by the migration that added it."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Q

from imvo.core.text import fold
from imvo.supplychain import public as pub
from imvo.supplychain import publication
from imvo.supplychain.models import (
    DisclosurePolicy,
    Facility,
    PublicLocation,
    PublicLocationMember,
    PublishedYear,
)
from imvo.supplychain.normalise import normalise_name
from imvo.supplychain.tests.test_publication import five, registry  # noqa: F401 (fixtures)
from imvo.supplychain.tests.test_services import YEAR
from imvo.testing import make_org

SEP = PublicLocation.SEARCH_SEPARATOR

# (name, address): names whose normal form differs from their lower case, and
# addresses, so each column can be the only one a query is found in.
ROWS = [
    ("P.T. Sinar-Jaya Tbk", "Jl. Raya Bogor 12, Jakarta"),
    ("Dhaka Knit Ltd", "Plot 4, Gazipur, Dhaka"),
    ("Dhaka Knit", "Tex Road 1, Savar"),
    ("Saigon Sewing Co.", "12 Le Loi, Ho Chi Minh City"),
    ("Anatolia Tekstil A.Ş.", "Organize Sanayi, İzmir"),
    ("H&M Supplier Textiles", "Bursa"),
    ("O'Neill Garments", "Knitting Lane, Tiruppur"),
    ("Texmoda", ""),
    ("Ümit Örme", "Çorlu, Tekirdağ"),
    ("Percent 100% Cotton_Mill", "Under_score Street"),
]

QUERIES = [
    "tex",  # names and an address
    "TEX",
    "dhaka",  # a name and an address
    "dhaka knit",  # in names and normal forms
    "sinar jaya",  # only in a normal form ("p.t. sinar-jaya tbk" lower-cased)
    "sinar-jaya",  # only in a name
    "Sinar-Jaya Tbk",
    "gazipur",  # only in an address
    "gazipur, dhaka",
    "savar",
    "izmir",  # "İzmir" folded is "izmir" (lower-cased it was "i̇zmir", a dotted i)
    "İZMİR",
    "tekirdag",  # folded: no accents
    "tekirdağ",
    "ümit",
    "umit orme",  # the normal form of "Ümit Örme"
    "h&m",
    "h and m",
    "o'neill",
    "oneill",
    "100%",
    "_",
    "%",
    "cotton_mill",
    "ltd",
    "co.",
    "-",  # its normal form is "": it is in every normal form, as before
    "knit tex",  # would span a name's end and the next column's start: found nowhere
    "knitdhaka",
    "knit ltd" + SEP + "dhaka",
    "ltd" + SEP + "dhaka knit",  # the exact text across two columns: not found
    SEP,
    "road 1, savar",
    "nothing like this",
]


def _before(published_id: int, query: str) -> list[int]:
    """The search as it was before the one column: three LIKEs, in SQL."""
    lowered = fold(query)
    return sorted(
        PublicLocation.objects.filter(published_year_id=published_id)
        .filter(
            Q(sort_name__contains=lowered)
            | Q(name_norm__contains=normalise_name(query))
            | Q(address_key__contains=lowered)
        )
        .values_list("facility_id", flat=True)
    )


def _by_python(published_id: int, query: str) -> list[int]:
    """The same in Python: the query in one of the three columns."""
    lowered, normal = fold(query), normalise_name(query)
    return sorted(
        fid
        for fid, sort_name, name_norm, address_key in PublicLocation.objects.filter(
            published_year_id=published_id
        ).values_list("facility_id", "sort_name", "name_norm", "address_key")
        if lowered in sort_name or normal in name_norm or lowered in address_key
    )


K = 3


@pytest.fixture
def snapshot(world) -> PublishedYear:
    """A public year of covenant X (K = 3) whose rows are written as publishing
    writes them; each location rests on two of five members (location n on members
    n and n + 1, mod 5), so a selection of one location, or of locations sharing
    their members, is withheld, and one of locations of three members is shown."""
    DisclosurePolicy.objects.update_or_create(
        covenant=world.covenant_x, defaults={"min_members": K}
    )
    published = PublishedYear.objects.create(
        covenant=world.covenant_x, year=YEAR, members=5, location_count=len(ROWS)
    )
    orgs = [make_org(f"Member {n}") for n in range(5)]
    for n, (name, address) in enumerate(ROWS, start=1):
        facility = Facility(
            pk=n,
            name=name,
            name_norm=normalise_name(name),
            address=address,
            country="BD",
            sector="Apparel",
        )
        location = publication.public_location(published, facility, members=2)
        location.save()
        PublicLocationMember.objects.bulk_create(
            PublicLocationMember(
                published_year=published,
                location=location,
                organisation=orgs[m % 5],
                search_key=location.search_key,
            )
            for m in (n, n + 1)
        )
    publication.bump_public_list_version()
    return published


def _members_behind(facility_ids: list[int]) -> int:
    return (
        PublicLocationMember.objects.filter(location__facility_id__in=facility_ids)
        .values("organisation_id")
        .distinct()
        .count()
    )


@pytest.mark.parametrize("query", QUERIES)
def test_the_one_column_search_finds_what_the_three_columns_did(
    world: Any, snapshot: PublishedYear, query: str
) -> None:
    """The same rows as the three columns asked one by one, and the same K check:
    shown when K members stand behind them, withheld (nothing shown) otherwise."""
    before = _before(snapshot.pk, query)
    assert before == _by_python(snapshot.pk, query)
    shown = _members_behind(before) >= K
    assert pub.withheld(world.covenant_x, YEAR, query) == ("" if shown else publication.too_few(K))
    found = sorted(
        pub.public_rows(world.covenant_x, YEAR, query=query).values_list("facility_id", flat=True)
    )
    assert found == (before if shown else [])
    # The page (its count, rows and K check read in one statement) shows the same.
    page = pub.for_year(world.covenant_x, YEAR).page(query=query)
    assert sorted(r["id"] for r in page.object_list) == found
    assert page.paginator.count == len(found)
    assert pub.for_year(world.covenant_x, YEAR).count(query) == len(found)
    # Pages of two, in the list's order; a page past the end shows the last one.
    ordered = list(
        pub.public_rows(world.covenant_x, YEAR, query=query).values_list("facility_id", flat=True)
    )
    pages = [ordered[i : i + 2] for i in range(0, len(ordered), 2)] or [[]]
    for number, expected in enumerate(pages, start=1):
        paged = pub.for_year(world.covenant_x, YEAR).page(page=number, query=query, per_page=2)
        assert [r["id"] for r in paged.object_list] == expected
        assert paged.number == number and paged.paginator.count == len(found)
    last = pub.for_year(world.covenant_x, YEAR).page(page=99, query=query, per_page=2)
    assert [r["id"] for r in last.object_list] == pages[-1]
    assert last.number == len(pages)


def test_the_k_check_of_a_search_counts_the_members_of_all_its_locations(
    world: Any, snapshot: PublishedYear
) -> None:
    """Member pairs (1, 2) for "sinar", (2, 3) and (3, 4) for "dhaka knit": one
    location is two members (withheld), two of them three (shown)."""
    assert _before(snapshot.pk, "sinar") == [1]
    assert pub.withheld(world.covenant_x, YEAR, "sinar") == publication.too_few(K)
    assert pub.for_year(world.covenant_x, YEAR).page(query="sinar").object_list == []
    assert _before(snapshot.pk, "dhaka knit") == [2, 3]
    assert pub.withheld(world.covenant_x, YEAR, "dhaka knit") == ""
    assert len(pub.for_year(world.covenant_x, YEAR).page(query="dhaka knit").object_list) == 2


def test_a_text_across_two_columns_is_not_found(world: Any, snapshot: PublishedYear) -> None:
    """The separator keeps the columns apart: "knit tex" is the end of "Dhaka Knit"'s
    name and the start of its address ("Tex Road"), joined; it is in no column, so
    no row, and no member link for the K check. "savar" (in one address) is."""
    assert PublicLocation.objects.filter(search_key__contains="knit" + SEP + "tex road").exists()
    rows = PublicLocation.objects.filter(published_year=snapshot)
    for query, expected in (("knit tex", []), ("knittex", []), ("savar", [3])):
        assert sorted(rows.filter(pub._matching(query)).values_list("facility_id", flat=True)) == (
            expected
        )
        assert _by_python(snapshot.pk, query) == expected
        assert pub._k_members(snapshot.pk, K, query, "", "").count() == 2 * len(expected)


def test_the_search_is_one_like_when_the_query_is_its_own_normal_form(
    world: Any, snapshot: PublishedYear
) -> None:
    def where(query: str) -> str:
        return str(PublicLocation.objects.filter(pub._matching(query)).query).split("WHERE")[1]

    assert "search_key" in where("tex") and where("tex").count("LIKE") == 1
    # A query whose normal form differs asks each column with its own form.
    assert "search_key" not in where("Sinar-Jaya") and where("Sinar-Jaya").count("LIKE") == 3
    # The K check of a search alone reads the links' copy of the column, no locations.
    k_check = str(pub._k_members(snapshot.pk, K, "tex", "", "").query)
    assert "search_key" in k_check and f'"{PublicLocation._meta.db_table}"' not in k_check


def test_publishing_writes_the_search_column(world: Any, five: Any) -> None:  # noqa: F811
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    rows = PublicLocation.objects.filter(published_year__covenant=world.covenant_x)
    assert rows.count() == 3
    for sort_name, name_norm, address_key, search_key in rows.values_list(
        "sort_name", "name_norm", "address_key", "search_key"
    ):
        assert search_key == SEP.join((sort_name, name_norm, address_key))
    links = PublicLocationMember.objects.filter(published_year__covenant=world.covenant_x)
    assert links.count() == 10  # Dhaka: 5 members, Saigon: 4, Anatolia: 1
    for link in links.select_related("location"):
        assert link.search_key == link.location.search_key
    dhaka = pub.public_rows(world.covenant_x, YEAR, "dhaka").values_list("name", flat=True)
    assert [n for n in dhaka if "Dhaka" in n]


def test_the_migration_fills_the_column_as_publishing_writes_it(
    world: Any, snapshot: PublishedYear
) -> None:
    written = dict(PublicLocation.objects.values_list("pk", "search_key"))
    copied = dict(PublicLocationMember.objects.values_list("pk", "search_key"))
    assert set(copied.values()) == set(written.values())
    PublicLocation.objects.update(search_key="")
    PublicLocationMember.objects.update(search_key="")
    migration = importlib.import_module(
        "imvo.supplychain.migrations.0004_public_location_search_key"
    )
    assert migration.SEPARATOR == SEP
    migration.fill(apps, None)
    assert dict(PublicLocation.objects.values_list("pk", "search_key")) == written
    assert dict(PublicLocationMember.objects.values_list("pk", "search_key")) == copied


def test_the_migration_folds_what_older_snapshots_lower_cased(
    world: Any, snapshot: PublishedYear
) -> None:
    """Snapshots written before the folding hold `str.lower` forms ("i̇zmir" with a
    combining dot): migration 0006 rewrites them as publishing writes them now, the
    links' copy too, and the Turkish capitals are found."""
    written = {
        pk: (sort_name, address_key, search_key, sector_key)
        for pk, sort_name, address_key, search_key, sector_key in PublicLocation.objects.values_list(
            "pk", "sort_name", "address_key", "search_key", "sector_key"
        )
    }
    for loc in PublicLocation.objects.all():
        loc.sort_name, loc.address_key = loc.name.lower(), loc.address.lower()
        loc.search_key = PublicLocation.search_text(loc.sort_name, loc.name_norm, loc.address_key)
        loc.sector_key = loc.sector.lower()
        loc.save()
        loc.links.update(search_key=loc.search_key)
    izmir = PublicLocation.objects.get(address__contains="İzmir")
    assert "i\u0307zmir" in izmir.search_key
    migration = importlib.import_module(
        "imvo.supplychain.migrations.0006_public_location_folded_keys"
    )
    assert migration.SEPARATOR == SEP
    migration.refold(apps, None)
    assert {
        pk: (sort_name, address_key, search_key, sector_key)
        for pk, sort_name, address_key, search_key, sector_key in PublicLocation.objects.values_list(
            "pk", "sort_name", "address_key", "search_key", "sector_key"
        )
    } == written
    for link in PublicLocationMember.objects.select_related("location"):
        assert link.search_key == link.location.search_key
    assert PublicLocation.objects.filter(search_key__contains="izmir").get() == izmir


# Locations written with Turkish capitals and letters, and what must find each, on
# every search that reads the public list: the page, the API, the downloads, the
# complaint form's facility search and a union's signal search.
TURKISH = [
    ("İSTANBUL TEKSTİL", "Merkez Mah. 5, İstanbul", "TR"),
    ("Kırklareli Örme", "Organize Sanayi, KIRKLARELI", "TR"),
    ("Têxteis São João", "Rua 1, Guimarães", "PT"),
    ("Marmara Örgü", "Sanayi Cad. 3, İSTANBUL", "TR"),  # the city only in the address
]
FINDS = {
    "İSTANBUL TEKSTİL": ["İstanbul", "ISTANBUL", "istanbul", "İSTANBUL", "i\u0307stanbul",
                         "tekstil", "TEKSTIL", "merkez mah. 5, istanbul"],
    "Kırklareli Örme": ["Kırklareli", "KIRKLARELI", "kirklareli", "kırklarelı", "örme", "ORME"],
    "Têxteis São João": ["guimaraes", "Guimarães", "GUIMARÃES", "sao joao", "São João"],
    "Marmara Örgü": ["istanbul", "İstanbul", "Istanbul", "ıstanbul", "İSTANBUL", "cad. 3"],
}  # fmt: skip


@pytest.fixture
def turkish(world: Any, db: Any) -> None:
    """A public year (K = 3) of three members, each disclosing the three locations."""
    from imvo.accounts.testing import make_user
    from imvo.supplychain import services
    from imvo.supplychain.tests.helpers import csv_bytes, make_facility
    from imvo.testing import adhere

    for name, address, country in TURKISH:
        make_facility(name, address, country)
    DisclosurePolicy.objects.update_or_create(
        covenant=world.covenant_x, defaults={"min_members": K}
    )
    for n in range(K):
        org = make_org(f"Fold Member {n}")
        adhere(world.covenant_x, org)
        rows = [list(r) for r in TURKISH]
        services.upload_list(
            make_user(organisation=org), world.covenant_x, YEAR, "l.csv", csv_bytes(rows)
        )
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    assert publication.public_years(world.covenant_x) == [YEAR]


@pytest.mark.usefixtures("turkish")
@pytest.mark.parametrize(("name", "query"), [(n, q) for n, qs in FINDS.items() for q in qs])
def test_turkish_and_accented_letters_find_each_other_everywhere(
    client: Any, world: Any, name: str, query: str
) -> None:
    """The page, the API, the download and the search across public years (the
    complaint form's and a union's signal search call it: src/imvo/tests/
    test_search_folding.py asks them too)."""
    from urllib.parse import quote

    slug = world.covenant_x.slug
    assert name in pub.public_rows(world.covenant_x, YEAR, query=query).values_list(
        "name", flat=True
    )
    page = client.get(f"/supply-chain/public/{slug}/?q={quote(query)}").content.decode()
    assert name in page, query
    api = client.get(f"/api/public/production-locations/{slug}?q={quote(query)}").json()
    assert name in [f["name"] for f in api], query
    csv = client.get(f"/supply-chain/public/{slug}/?q={quote(query)}&format=csv").content
    assert name in csv.decode(), query
    found = pub.public_facility_search(query, covenant=world.covenant_x)
    assert name in [f["name"] for f in found], query
