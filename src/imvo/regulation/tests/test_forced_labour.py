"""Forced-labour readiness: the importer on files made here, the flags, the evidence file."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from imvo.core.errors import DomainError
from imvo.regulation.models import RiskListing
from imvo.regulation.services import forced_labour
from imvo.regulation.services.access import NotFound
from imvo.risk import services as risk
from imvo.risk.models import IndicatorSource, ListedGood

EU_CSV = (
    b"country,region,product,hs_code,reference,listed_on\n"
    b"CN,Xinjiang,cotton,5201,EU-FL-2028-001,2028-01-15\n"
    b"MY,,rubber gloves,4015,EU-FL-2028-002,2028-02-01\n"
    b"BD,,shirts,6205,EU-FL-2028-003,\n"
)


def test_import_replaces_the_sources_listings(db) -> None:
    assert forced_labour.import_listings("eu-database", "eu.csv", EU_CSV) == 3
    assert forced_labour.import_listings("eu-database", "eu.csv", EU_CSV) == 3
    assert RiskListing.objects.count() == 3
    as_json = json.dumps({"entries": [{"country": "IN", "product": "granite", "reference": "X"}]})
    assert forced_labour.import_listings("other", "l.json", as_json.encode()) == 1
    assert RiskListing.objects.count() == 4


@pytest.mark.parametrize(
    "data, message",
    [
        (b"country,product\nXX,cotton\n", "row 2, country: XX is not an ISO 3166"),
        (b"country,product\nCN,\n", "row 2, product: name a product or a region"),
        (b"country,product,listed_on\nCN,cotton,15-01-2028\n", "row 2, listed_on: 15-01-2028 is not a date"),
        (b"land,good\nCN,cotton\n", "lacks the columns country, product"),
    ],
)  # fmt: skip
def test_a_bad_list_imports_nothing_and_names_the_row(db, data, message) -> None:
    with pytest.raises(DomainError, match=message):
        forced_labour.import_listings("eu-database", "eu.csv", data)
    assert not RiskListing.objects.exists()


def test_a_sourcing_location_is_flagged_by_each_source(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    risk.add_sourcing(world.member_a, world.company_a, "Bangladesh", "garment", "Shirts")
    risk.add_sourcing(world.member_a, world.company_a, "Portugal", "garment", "Socks")
    ilab = IndicatorSource.objects.create(code="ilab", name="ILAB", publisher="US DoL",
                                          edition_year=2024, licence="public domain")  # fmt: skip
    ListedGood.objects.create(source=ilab, country="BD", good="Garments", forced_labour=True)
    forced_labour.import_listings("eu-database", "eu.csv", EU_CSV)
    risk.create_entry(
        world.member_a, world.company_a, "forced-labour", "Forced overtime", country="BD"
    )
    org, locs = forced_labour.readiness(world.member_a, world.covenant_x)
    assert org == world.company_a
    bd = next(x for x in locs if x.country == "BD")
    assert bd.ilab == ["ILAB 2024: Garments (BD)"]
    assert bd.flagged and bd.eu == ["eu-database: shirts (BD) EU-FL-2028-003"]
    assert bd.register == ["Forced overtime"]
    pt = next(x for x in locs if x.country == "PT")
    assert not pt.eu and not pt.register and locs.index(bd) < locs.index(pt)

    doc = forced_labour.check_evidence_file(world.member_a, world.covenant_x, "shirts")
    with doc.file.open("rb") as f:
        z = zipfile.ZipFile(io.BytesIO(f.read()))
    body = json.loads(z.read("evidence.json"))
    assert [x["country"] for x in body["locations"]] == ["BD"]
    assert z.read("evidence.pdf").startswith(b"%PDF")
    with pytest.raises(NotFound):
        forced_labour.readiness(world.member_c, world.covenant_x)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("eu.csv", "country,product\nCI,cacao café\n".encode("cp1252"), "eu.csv is not UTF-8 text"),
        ("eu.json", b"[" * 200_000 + b"]" * 200_000, "eu.json is nested too deeply"),
        ("eu.json", b'{"entries": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "eu.json is nested too deeply"),
    ],
)  # fmt: skip
def test_the_import_command_names_an_unreadable_file_without_a_traceback(
    db, tmp_path, name, data, message
) -> None:
    """A non-UTF-8 file or a very deeply nested one: the command stops with a
    CommandError (Django prints it and exits 1, no traceback) naming the file."""
    from django.core.management import CommandError, call_command

    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        call_command("regulation", "forced-labour", "import", str(path))
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv"):
        call_command("regulation", "forced-labour", "import", str(tmp_path / "missing.csv"))
    assert not RiskListing.objects.exists()


def test_a_csv_row_longer_than_its_header_is_read(db) -> None:
    """Extra cells past the header (Python's csv gives them as a list) do not crash the import."""
    data = b"country,product\nCN,cotton,Xinjiang note\n"
    assert forced_labour.import_listings("eu-database", "eu.csv", data) == 1
    assert RiskListing.objects.get().product == "cotton"


def test_the_readiness_page_names_countries_and_levels_in_dutch(client, world) -> None:
    """A member reading in Dutch sees 'Bangladesh (BD)' and 'hoog', not 'BD' and 'high'."""
    from django.urls import reverse

    risk.add_sourcing(world.member_a, world.company_a, "Bangladesh", "garment", "Shirts")
    client.force_login(world.member_a)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("regulation:forced_labour", args=[world.covenant_x.slug]))
    table = page.content.decode().split('id="locations"')[1].split("</table>")[0]
    assert "<td>Bangladesh (BD)</td>" in table
    assert "hoog (" in table and "high" not in table


def test_scan_titled_register_entries_are_named_in_the_readers_language(world) -> None:
    """The scan titled the entry in Dutch ("Dwangarbeid - Bangladesh"); read in English."""
    from django.utils import translation

    risk.add_sourcing(world.member_a, world.company_a, "Bangladesh", "garment", "Shirts")
    risk.create_entry(
        world.member_a, world.company_a, "forced-labour", "Dwangarbeid - Bangladesh", country="BD"
    )
    with translation.override("en"):
        _, locs = forced_labour.readiness(world.member_a, world.covenant_x)
    bd = next(x for x in locs if x.country == "BD")
    assert bd.register == ["Forced labour - Bangladesh"]


def test_the_readiness_page_names_products_and_sectors_in_the_readers_language(
    client, world
) -> None:
    """The product was the ILAB good's English key ("cocoa") and, without one, the
    sector's code ("garment"); both read in the reader's language now, and the
    ILAB flag names the good so too. Matching still uses the stored words."""
    from django.urls import reverse

    risk.add_sourcing(world.member_a, world.company_a, "Ivory Coast", "food", "Cocoa beans")
    risk.add_sourcing(world.member_a, world.company_a, "Bangladesh", "garment", "Shirts")
    ilab = IndicatorSource.objects.create(code="ilab", name="ILAB", publisher="US DoL",
                                          edition_year=2024, licence="public domain")  # fmt: skip
    ListedGood.objects.create(source=ilab, country="CI", good="Cocoa", forced_labour=True)
    client.force_login(world.member_a)
    url = reverse("regulation:forced_labour", args=[world.covenant_x.slug])

    def table(language: str) -> str:
        page: str = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return page.split('id="locations"')[1].split("</table>")[0]

    dutch = table("nl")
    assert "<td>Cacao</td>" in dutch and "ILAB 2024: Cacao (CI)" in dutch
    assert "<td>Kleding en textiel</td>" in dutch
    assert "<td>cocoa</td>" not in dutch and "<td>garment</td>" not in dutch
    assert "<td>Cocoa beans</td>" in dutch  # the member's own words, as written
    english = table("en")
    assert "<td>Cocoa</td>" in english and "ILAB 2024: Cocoa (CI)" in english
    assert "<td>Garment and textile</td>" in english
