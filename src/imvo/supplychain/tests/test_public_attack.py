"""An attacker's probes of the public list's search and filters (docs/supplychain.md,
"Publication rule"): LIKE wildcards, the search column's separator, unicode case,
very long and odd queries, filters and pages past the end, on every public surface
(page, API, downloads); a search behind K - 1 members answers exactly like one that
finds nothing."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from urllib.parse import quote

import pytest

from imvo.core.text import fold
from imvo.supplychain import public as pub
from imvo.supplychain import publication
from imvo.supplychain.models import PublicLocation
from imvo.supplychain.normalise import normalise_name
from imvo.supplychain.tests.test_publication import (  # noqa: F401 (fixtures)
    ANATOLIA,
    DHAKA,
    SAIGON,
    five,
    registry,
)
from imvo.supplychain.tests.test_services import YEAR

pytestmark = pytest.mark.django_db


def _surfaces(client: Any, world: Any, query: str) -> dict[str, Any]:
    """Every public answer to a query string: the page, the API, the downloads."""
    slug = world.covenant_x.slug
    out: dict[str, Any] = {}
    r = client.get(f"/supply-chain/public/{slug}/?{query}")
    out["page"] = (r.status_code, r.content.decode())
    r = client.get(f"/api/public/production-locations/{slug}?{query}")
    out["api"] = (r.status_code, r.content.decode())
    for fmt in ("csv", "json"):
        r = client.get(f"/supply-chain/public/{slug}/?{query}&format={fmt}")
        out[fmt] = (r.status_code, r.content.decode())
    r = client.get(f"/supply-chain/public/{slug}/?{query}&format=xlsx")
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        text = "".join(
            z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/worksheets")
        )
    out["xlsx"] = (r.status_code, text)
    return out


def _without_query(answers: dict[str, Any], q: str) -> dict[str, Any]:
    """The answers with the echoed query taken out (the page's search box and links)."""
    out = {}
    for key, (status, text) in answers.items():
        for form in sorted({q, quote(q), quote(q, safe=""), quote(q).replace("%20", "+")}, key=len,
                           reverse=True):  # fmt: skip
            text = text.replace(f'value="{form}"', 'value=""').replace(f"q={form}&", "q=&")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        text = re.sub(r'name="next" type="hidden" value="[^"]*"', "", text)
        out[key] = (status, text)
    return out


@pytest.fixture
def published(world: Any, five: Any) -> None:  # noqa: F811
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)


# Saigon: four members (K - 1); Anatolia: one; "zzz": none; Dhaka: five (K).
@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(
    "extra", ["", "&page=2", "&page=999999", "&page=0", "&page=x", "&country=VN", "&per_page=1"]
)
def test_a_search_behind_k_minus_one_members_answers_like_one_finding_nothing(
    client: Any, world: Any, extra: str
) -> None:
    none = _without_query(_surfaces(client, world, f"q=zzzqqq{extra}"), "zzzqqq")
    for q in ("saigon", "anatolia", "tan thuan", "SAIGON SEWING"):
        answers = _without_query(_surfaces(client, world, f"q={quote(q)}{extra}"), q)
        for key in answers:
            assert answers[key] == none[key], (q, key)
    dhaka = _surfaces(client, world, f"q=dhaka{extra}")
    assert dhaka["page"][0] == 200
    if extra in ("", "&country=VN"):
        assert (DHAKA[0] in dhaka["page"][1]) == (extra == "")


WILD = ["%", "_", "\\", "%%", "__", "\\%", "a%b", "d_aka", "dh%ka", "\\\\", "%_\\", "'", '"',
        "\x1f", "dhaka\x1f", "\x1fdhaka", "ltd\x1fplot", "%\x1f%"]  # fmt: skip


def _by_python(world: Any, q: str) -> list[str]:
    """The search as the docs state it, in Python: the lower-cased query in the
    lower-cased name or address, or its normal form in the name's normal form."""
    lowered, normal = q.lower(), normalise_name(q)
    return sorted(
        name
        for name, sort_name, name_norm, address_key in PublicLocation.objects.filter(
            published_year__covenant=world.covenant_x
        ).values_list("name", "sort_name", "name_norm", "address_key")
        if lowered in sort_name or normal in name_norm or lowered in address_key
    )


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize("q", WILD)
def test_like_wildcards_and_the_separator_are_plain_text(client: Any, world: Any, q: str) -> None:
    """No wildcard: each character of the query is itself (a query of punctuation
    alone has the empty normal form, found in every name: the whole list, as
    before), and every surface answers."""
    answers = _surfaces(client, world, f"q={quote(q, safe='')}")
    for key, (status, _text) in answers.items():
        assert status == 200, key
    rows = sorted(pub.public_rows(world.covenant_x, YEAR, query=q).values_list("name", flat=True))
    expected = _by_python(world, q)
    if not pub.withheld(world.covenant_x, YEAR, q):
        assert rows == expected
    else:
        assert rows == [] and DHAKA[0] not in expected  # Dhaka alone has five members
    if normalise_name(q):
        assert rows in ([], [DHAKA[0]]), rows  # found in no name but Dhaka's, as text


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=dhaka%00",
        "q=%2500",
        "country=%00",
        "country=B%00",
        "sector=%00",
        "sector=Apparel%00",
        "q=a%00&country=BD",
    ],
)
def test_a_nul_in_the_query_or_a_filter_is_no_server_error(
    client: Any, world: Any, query: str
) -> None:
    """PostgreSQL refuses NUL in a text parameter: every surface answered 500. A NUL
    in the address is turned away at the door (400, core NulInQueryMiddleware); the
    text "%00" (`%2500`) is an ordinary search."""
    if query == "q=%2500":
        for key, (status, _text) in _surfaces(client, world, query).items():
            assert status == 200, key
        return
    slug = world.covenant_x.slug
    for url in (
        f"/supply-chain/public/{slug}/?{query}",
        f"/api/public/production-locations/{slug}?{query}",
        *(f"/supply-chain/public/{slug}/?{query}&format={fmt}" for fmt in ("csv", "json", "xlsx")),
    ):
        assert client.get(url).status_code == 400, url


@pytest.mark.usefixtures("published")
def test_a_very_long_query_is_answered(client: Any, world: Any) -> None:
    long = "dhaka" * 2000
    for key, (status, text) in _surfaces(client, world, f"q={long}").items():
        assert status == 200, key
        assert DHAKA[0] not in text, key


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("dhaka", True),
        ("DHAKA", True),
        ("Dhaka Knit Composite", True),
        ("dhaka knit composite ltd", True),
        ("DHAKA KNIT COMPOSITE LTD.", True),
        ("gazipur", True),  # part of the address
        ("Plot 12, Road 3, Gazipur Industrial Area, Gazipur 1700", True),  # the whole address
        ("PLOT 12, ROAD 3", True),
        ("knit composite", True),  # the normal form
        ("Dhâka", True),  # accents: the normal form
        ("Dha\u0301ka", True),  # a combining accent
        ("DHAKA KNİT", True),  # a Turkish capital dotted I: in the normal form
        ("dhaka kn\u0131t", True),  # a dotless i: in the normal form
        ("1700", True),
        ("gazipur 1700x", False),
    ],
)
def test_a_normal_user_finds_a_location(client: Any, world: Any, q: str, found: bool) -> None:
    api = _surfaces(client, world, f"q={quote(q, safe='')}")["api"]
    assert api[0] == 200
    assert (DHAKA[0] in api[1]) == found, api[1]
    page = client.get(f"/supply-chain/public/{world.covenant_x.slug}/?q={quote(q, safe='')}")
    assert (DHAKA[0] in page.content.decode()) == found


@pytest.mark.usefixtures("published")
def test_unicode_case_in_names_and_addresses(world: Any) -> None:
    """Names and addresses with capitals outside ASCII: found by their lower case,
    their capitals and their plain letters, the Turkish dotted and dotless i too
    (the columns written folded, as publishing writes them: `core.text.fold`)."""
    loc = PublicLocation.objects.get(published_year__covenant=world.covenant_x, name=DHAKA[0])
    for name, address, queries in [
        ("GROSSE STRASSE WEBEREI", "Große Straße 1, İzmir",
         ["große straße", "GROSSE", "weberei", "izmir", "İzmir", "IZMIR", "strasse 1"]),
        ("ÇORLU ÖRME", "Tekirdağ", ["çorlu", "ÇORLU", "corlu orme", "tekirdağ", "TEKIRDAĞ",
                                    "tekirdag"]),
        ("Kırklareli Dokuma", "Organize Sanayi, İSTANBUL",
         ["KIRKLARELI", "kırklareli", "Kirklareli", "istanbul", "İstanbul", "ISTANBUL",
          "i\u0307stanbul", "organize sanayi, istanbul"]),
    ]:  # fmt: skip
        loc.name, loc.sort_name = name, fold(name)
        loc.name_norm, loc.address, loc.address_key = normalise_name(name), address, fold(address)
        loc.search_key = PublicLocation.search_text(loc.sort_name, loc.name_norm, loc.address_key)
        loc.save()
        loc.links.update(search_key=loc.search_key)
        for q in queries:
            found = list(
                pub.public_rows(world.covenant_x, YEAR, query=q).values_list("name", flat=True)
            )
            assert found == [name], q


@pytest.mark.usefixtures("published")
def test_filters_and_search_together(client: Any, world: Any) -> None:
    """A search within a country or sector is checked against the members of what it
    shows, not of the search alone: Dhaka (five members) in Vietnam is nothing."""
    slug = world.covenant_x.slug
    for query in ("q=dhaka&country=VN", "q=dhaka&sector=Footwear", "q=saigon&country=VN",
                  "q=a&country=TR", "q=a&country=tr", "q=plot&country=BD&sector=apparel"):  # fmt: skip
        r = client.get(f"/api/public/production-locations/{slug}?{query}")
        assert r.status_code == 200
        names = {f["name"] for f in r.json()}
        assert SAIGON[0] not in names and ANATOLIA[0] not in names, query
    r = client.get(f"/api/public/production-locations/{slug}?q=plot&country=bd&sector=APPAREL")
    assert [f["name"] for f in r.json()] == [DHAKA[0]]


@pytest.mark.usefixtures("published")
def test_the_api_pages_of_a_withheld_search_are_empty(client: Any, world: Any) -> None:
    slug = world.covenant_x.slug
    for page in ("0", "-1", "1", "2", "99999999999"):
        r = client.get(f"/api/public/production-locations/{slug}?q=saigon&page={page}&per_page=1")
        assert r.status_code in (200, 400) and "Saigon" not in r.content.decode(), page
        r0 = client.get(f"/api/public/production-locations/{slug}?q=zzz&page={page}&per_page=1")
        assert (r.status_code, r.content) == (r0.status_code, r0.content), page


def test_page_text_has_no_count_of_a_withheld_search(client: Any, world: Any, five: Any) -> None:  # noqa: F811
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    text = client.get(f"/supply-chain/public/{world.covenant_x.slug}/?q=saigon").content.decode()
    assert re.search(r"\b0 production locations", text)
    assert "4" not in re.sub(r"<[^>]+>", "", text).split("Fewer than")[0][-200:]


@pytest.mark.usefixtures("published")
def test_the_facility_search_reads_a_bounded_query_without_nul(world: Any) -> None:
    """The complaint form's and a union's signal search (`public_facility_search`):
    NUL in the query or country was a server error on PostgreSQL; a long query of
    repeated words asked one LIKE per word (a 100 KB query: 2.5 s of a worker)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for query, country in (("dha\x00ka", ""), ("dhaka", "B\x00D"), ("\x00", "")):
        pub.public_facility_search(query, covenant=world.covenant_x, country=country)
    with CaptureQueriesContext(connection) as queries:
        found = pub.public_facility_search("Dhaka Knit " * 20_000, covenant=world.covenant_x)
    assert [f["name"] for f in found][:1] == [DHAKA[0]]
    [search] = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"]]
    # name, address, and the words "dhaka", "knit" and the one cut at 200 characters
    assert search.count("LIKE") <= 5


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize("year", ["%C2%B2", "%D9%A1%D9%A2", "9" * 30, "-1", "2025.0"])
def test_a_year_that_is_no_whole_number_shows_the_newest_public_year(
    client: Any, world: Any, year: str
) -> None:
    """`?year=²` passed str.isdigit() and failed int(): a 500 on the public page and
    the map (found walking the demo as an attacker)."""
    slug = world.covenant_x.slug
    for url in (
        f"/supply-chain/public/{slug}/?year={year}",
        f"/supply-chain/public/{slug}/map/?year={year}",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
    assert DHAKA[0] in client.get(f"/supply-chain/public/{slug}/?year={year}").content.decode()
