"""Workbooks as members send them, looked at in the demo (2026-12-07): what the
preview and the mapping page say when the list is not where the reader looks.

- two worksheets that both hold a list ("2024", "2025"): the first was read and
  the preview said only "Read from the worksheet “2024”"; the other list was
  left out without a word. Now the preview names it and says how to add it.
- the column names below more than ten title rows: the member was asked to map
  columns called "Toelichting regel 1", "column 2", "column 3" with no word on
  why. Now the mapping page says what was taken as the header and what to do.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from imvo.supplychain import services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import make_registry

pytestmark = pytest.mark.django_db

HEADER = ["Naam", "Adres", "Land"]
ROWS = [
    ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur", "Bangladesh"],
    ["Saigon Sewing Joint Stock Company", "No. 45 Tan Thuan Road, District 7", "Vietnam"],
]


def _workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def member(world) -> Client:
    make_registry()
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    return client


def _upload(world, data: bytes, name: str = "lijst.xlsx") -> SupplierList:
    sl = services.upload_list(
        world.member_a, world.covenant_x, 2025, name, data, mode="add", confirm=False
    )
    sl.refresh_from_db()
    return sl


def test_a_second_worksheet_holding_a_list_is_named_on_the_preview(world, member) -> None:
    data = _workbook(
        {"2024": [HEADER, ROWS[0]], "2025": [HEADER, *ROWS], "Notes": [["Filled in by purchasing"]]}
    )
    sl = _upload(world, data)
    assert sl.status == SupplierList.Status.PREVIEW, sl.error
    page = member.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "Read from the worksheet “2024”." in page
    notice = page[page.index("data-other-lists") :][:400]
    assert "The worksheet “2025” holds a list too, which is not read" in notice
    assert "Notes" not in notice
    nl = member.get(f"/supply-chain/lists/{sl.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Het werkblad “2025” bevat ook een lijst, die niet wordt gelezen" in nl


def test_an_instructions_sheet_or_an_empty_template_is_no_other_list(world, member) -> None:
    data = _workbook(
        {
            "Instructions": [["Fill in one row per location."], HEADER],
            "Empty template": [HEADER],
            "List": [HEADER, *ROWS],
        }
    )
    sl = _upload(world, data)
    page = member.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "Read from the worksheet “List”." in page and "data-other-lists" not in page


def test_column_names_below_ten_title_rows_are_explained_on_the_mapping_page(world, member) -> None:
    title = [[f"Toelichting regel {i}"] for i in range(1, 15)]
    sl = _upload(world, _workbook({"Blad1": [*title, HEADER, *ROWS]}))
    assert sl.status == SupplierList.Status.MAPPING
    page = member.get(f"/supply-chain/lists/{sl.pk}/mapping/").content.decode()
    assert "No row among the first ten of your file names a column we know" in page
    assert "(“Toelichting regel 1”, “column 2”, “column 3”)" in page
    assert "delete the rows above them and upload the file again" in page
    nl = member.get(f"/supply-chain/lists/{sl.pk}/mapping/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Geen van de eerste tien rijen van uw bestand noemt een kolom" in nl.content.decode()
    # A file whose header is found but lacks a column says nothing of the kind.
    other = _upload(world, _workbook({"Blad1": [["Naam", "Adres", "Regio"], *ROWS]}), "b.xlsx")
    assert other.status == SupplierList.Status.MAPPING
    page = member.get(f"/supply-chain/lists/{other.pk}/mapping/").content.decode()
    assert "data-no-header" not in page


def test_a_workbook_with_one_sheet_is_not_told_which_sheet_was_read(world, member) -> None:
    sl = _upload(world, _workbook({"Sheet": [HEADER, *ROWS]}))
    assert sl.status == SupplierList.Status.PREVIEW, sl.error
    for language in ("en", "nl"):
        page = member.get(
            f"/supply-chain/lists/{sl.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert "Dhaka Knit Composite Ltd" in page  # the preview, with its samples
        assert "data-sheet" not in page and "“Sheet”" not in page
    several = _upload(
        world, _workbook({"Notes": [["Filled in by purchasing"]], "List": [HEADER, *ROWS]})
    )
    page = member.get(f"/supply-chain/lists/{several.pk}/").content.decode()
    assert "Read from the worksheet “List”." in page


def test_a_zip_that_is_no_workbook_is_told_every_format_we_read() -> None:
    import zipfile

    from django.utils import translation

    from imvo.supplychain.parsing import ParseError, read_table

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lijst.csv", "Naam;Adres;Land\n")
    for language, expected in (
        ("en", "Upload the .xlsx, .xls, .ods or .csv itself."),
        ("nl", "Upload het .xlsx-, .xls-, .ods- of .csv-bestand zelf."),
    ):
        with translation.override(language):
            with pytest.raises(ParseError) as caught:
                read_table("lijst.zip", buffer.getvalue())
            assert expected in str(caught.value)
