"""The preview says which column was read as what, and the member can change it
before confirming.

A list whose name, address and country columns are recognised went straight to
the preview, and a column the reader did not use (a "Stad" beside "Straat": the
address without its city) or read as the wrong field was never shown: the member
confirmed addresses without their city. The mapping could not be changed after
the head was read, and `set_column_map` on a processed list re-queued it without
reading the file again (the new map was silently ignored)."""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.core.errors import DomainError
from imvo.supplychain import services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_registry
from imvo.supplychain.tests.test_services import YEAR

ROWS = [
    ["Dhaka Knit Composite Ltd", "Plot 12 Road 3", "Gazipur", "Bangladesh"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd", "Ho Chi Minh City", "Vietnam"],
]


@pytest.fixture
def registry(db):
    return make_registry()


def test_the_preview_shows_the_columns_and_the_member_remaps_them(world, registry) -> None:
    data = csv_bytes(
        [[*r, "Weaving"] for r in ROWS], header=("Fabriek", "Straat", "Stad", "Land", "Soort")
    )
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data, confirm=False)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.PREVIEW
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "Columns as we read them" in page
    assert "<td>Straat</td><td>Address</td>" in page
    # The city beside the street is joined to the address (test_address_parts.py).
    assert "<td>Stad</td><td>City (joined to the address)</td>" in page
    assert sorted(sl.rows.values_list("address", flat=True)) == [
        "45 Tan Thuan Rd, Ho Chi Minh City",
        "Plot 12 Road 3, Gazipur",
    ]
    assert f'href="/supply-chain/lists/{sl.pk}/mapping/"' in page
    # The member reads the city as the address instead, from the mapping page.
    response = client.post(
        f"/supply-chain/lists/{sl.pk}/mapping/", {"name": 0, "address": 2, "country": 3}
    )
    assert response.status_code == 302
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.PREVIEW and not sl.confirmed
    assert sorted(sl.rows.values_list("address", flat=True)) == ["Gazipur", "Ho Chi Minh City"]
    assert sl.rows.count() == 2  # read again, not added to
    page = client.get(f"/supply-chain/lists/{sl.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Kolommen zoals wij ze lazen" in page and "niet gebruikt" in page  # Soort


def test_the_columns_of_a_confirmed_list_stay(world, registry) -> None:
    data = csv_bytes(ROWS, header=("Fabriek", "Straat", "Stad", "Land"))
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE
    with pytest.raises(DomainError, match="only before you confirm"):
        services.set_column_map(world.member_a, sl, {"name": 0, "address": 2, "country": 3})
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE and sl.rows.count() == 2


def test_the_secretariat_reads_the_members_preview_as_the_members(world, registry) -> None:
    """The secretariat read "This file becomes your disclosure", "Nothing changes
    until you confirm" and "Waiting for your confirmation" on a member's preview."""
    data = csv_bytes(ROWS, header=("Fabriek", "Straat", "Stad", "Land"))
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data, confirm=False)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.secretariat_x)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "Once confirmed, this file becomes the member's disclosure for" in page
    assert "Nothing changes until the member confirms." in page
    assert "your disclosure" not in page and "until you confirm" not in page
    assert "Waiting for the member's confirmation" in page
    assert "Waiting for the member's confirmation" in client.get("/supply-chain/").content.decode()
    assert "Change which column holds what" not in page
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "This file becomes your disclosure for" in page
    assert "Waiting for your confirmation" in page and "the member's" not in page


def test_the_mapping_and_upload_pages_are_dutch_throughout(world, registry) -> None:
    """The mapping page said "Coordinates (latitude, longitude)" in English; a refused
    upload did not say that the file must be chosen again."""
    from django.conf import settings

    from imvo.core.translation_check import recording, untranslated

    data = csv_bytes(ROWS[:1], header=("Fabriek X", "Waar", "Landcode", "Plaats"))
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data, confirm=False)
    assert sl.status == SupplierList.Status.MAPPING
    client = Client(headers={"accept-language": "nl"})
    client.force_login(world.member_a)
    with recording() as seen:
        page = client.get(f"/supply-chain/lists/{sl.pk}/mapping/").content.decode()
        client.post(f"/supply-chain/lists/{sl.pk}/mapping/", {})
        refused = client.post(
            "/supply-chain/upload/",
            {"covenant": world.covenant_x.pk, "year": YEAR, "file": _upload(b"%PDF-1 x")},
        ).content.decode()
    assert untranslated(seen, "nl") - {name for _, name in settings.LANGUAGES} == set()
    assert "Coördinaten (breedtegraad, lengtegraad)" in page
    assert "Kies het bestand opnieuw voordat u uploadt" in refused


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("l.xlsx", data)
