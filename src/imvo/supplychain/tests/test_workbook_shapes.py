"""Workbooks whose list is not where a reader looks first, and files no reader opens.

Found by reading real workbooks (saved by LibreOffice 7.4: `files/shape-*.xlsx`,
made from `_source` below with `soffice --headless --convert-to xlsx`):
- the list on the second sheet behind a notes sheet, its columns named the
  member's own way: the notes sheet was read, and the member was told "the file
  has a header row (row 1) but no data rows";
- an empty copy of the template sheet before the filled one: the same message,
  about the empty copy;
- a header of two rows with merged cells ("Facility" over name and address,
  "Country" merged down): the upper row was read as the header, the lower one as
  a row, and the address column went unnamed;
- a header alone, or nothing at all: the message did not say which sheet was read.
And the reader libraries' own words stood in English inside the Dutch message
("(File is not a zip file)", "(CalamineError: Cannot detect file format)").
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from imvo.supplychain.parsing import ParseError, read_table

FILES = Path(__file__).parent / "files"
HEADER = ["Naam", "Adres", "Land"]
ROW = ["Dhaka Knit Composite Ltd", "Plot 12 Road 3, Gazipur", "Bangladesh"]


def _source(shape: str) -> bytes:
    """The workbook of `files/shape-<shape>.xlsx` before LibreOffice saved it."""
    wb = openpyxl.Workbook()
    first = wb.active
    if shape == "second-sheet":
        first.title = "Toelichting"
        first.append(["Vul de lijst in op het volgende blad."])
        data = wb.create_sheet("Leveranciers")
        data.append(["Fabriek X", "Waar", "Landcode"])
        data.append(ROW)
    elif shape == "empty-template-first":
        first.title = "Sjabloon"
        first.append(HEADER)
        data = wb.create_sheet("Ingevuld")
        data.append(HEADER)
        data.append(ROW)
    elif shape == "two-row-header":
        first.title = "Lijst"
        first.append(["Leveranciers 2025"])
        first.merge_cells("A1:C1")
        first.append(["Facility", None, "Country"])
        first.merge_cells("A2:B2")
        first.merge_cells("C2:C3")
        first.append(["Name", "Address", None])
        first.append(ROW)
    elif shape == "header-only":
        first.title = "Lijst"
        first.append(HEADER)
        wb.create_sheet("Leeg")
    elif shape == "empty":
        first.title = "Blad1"
        wb.create_sheet("Blad2")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _file(shape: str) -> bytes:
    return (FILES / f"shape-{shape}.xlsx").read_bytes()


@pytest.mark.parametrize("head", [None, 50])
def test_the_list_behind_a_notes_sheet_is_read_and_named(head: int | None) -> None:
    table = read_table("l.xlsx", _file("second-sheet"), head=head)
    assert table.sheet == "Leveranciers"
    assert table.header == ["Fabriek X", "Waar", "Landcode"]
    assert [r for _n, r in table.rows] == [ROW]


@pytest.mark.parametrize("head", [None, 50])
def test_the_filled_sheet_wins_over_an_empty_copy_of_the_template(head: int | None) -> None:
    table = read_table("l.xlsx", _file("empty-template-first"), head=head)
    assert table.sheet == "Ingevuld" and [r for _n, r in table.rows] == [ROW]


@pytest.mark.parametrize("head", [None, 50])
def test_a_two_row_header_with_merged_cells_names_every_column(head: int | None) -> None:
    table = read_table("l.xlsx", _file("two-row-header"), head=head)
    assert table.header == ["Name", "Address", "Country"]
    assert table.header_row == 3
    assert [r for _n, r in table.rows] == [ROW]
    assert table.column_mapping() == {"name": 0, "address": 1, "country": 2}


@pytest.mark.parametrize(
    ("shape", "english", "dutch"),
    [
        (
            "header-only",
            "l.xlsx: the sheet “Lijst” has a header row (row 1) but no data rows, and no "
            "other sheet of the workbook holds rows.",
            "l.xlsx: het werkblad “Lijst” heeft een kopregel (rij 1) maar geen gegevensrijen",
        ),
        (
            "empty",
            "l.xlsx: the workbook has no text in its visible sheets (“Blad1”, “Blad2”).",
            "l.xlsx: er staat geen tekst op de zichtbare werkbladen van de werkmap",
        ),
    ],
)
def test_a_workbook_without_rows_says_which_sheets_it_read(
    shape: str, english: str, dutch: str
) -> None:
    for head in (None, 50):
        with pytest.raises(ParseError) as refused:
            read_table("l.xlsx", _file(shape), head=head)
        with translation.override("en"):
            assert str(refused.value).startswith(english)
        with translation.override("nl"):
            assert str(refused.value).startswith(dutch)


def test_rows_on_a_sheet_with_unknown_columns_are_pointed_at() -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Sjabloon"
    wb.active.append(HEADER)
    other = wb.create_sheet("Export")
    other.append(["Fabriek X", "Waar", "Landcode"])
    other.append(ROW)
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ParseError) as refused, translation.override("en"):
        read_table("l.xlsx", out.getvalue())
    with translation.override("en"):
        # The recognised header wins; the message names the sheet with the rows.
        assert "Rows are on another sheet (“Export”)" in str(refused.value)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _encrypted_ods() -> bytes:
    """`files/suppliers.ods` as LibreOffice saves it with a password: its parts
    ciphered, the manifest saying so."""
    with zipfile.ZipFile(FILES / "suppliers.ods") as source:
        members = {i.filename: source.read(i.filename) for i in source.infolist()}
    members["content.xml"] = os.urandom(len(members["content.xml"]))
    members["META-INF/manifest.xml"] = members["META-INF/manifest.xml"].replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        b"</manifest:encryption-data></manifest:file-entry>",
    )
    assert b"encryption-data" in members["META-INF/manifest.xml"]
    return _zip(members)


WORKBOOK = (FILES / "suppliers.xlsx").read_bytes()


def _cut_sheet() -> bytes:
    """`files/suppliers.xlsx` whose sheet XML stops halfway (the zip itself is whole)."""
    with zipfile.ZipFile(FILES / "suppliers.xlsx") as source:
        members = {i.filename: source.read(i.filename) for i in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    return _zip(members)


@pytest.mark.parametrize(
    ("name", "data", "dutch"),
    [
        ("l.xlsx", b"PK\x03\x04garbage" * 10, "de werkmap is beschadigd of onvolledig"),
        ("l.xlsx", WORKBOOK[: len(WORKBOOK) // 2], "de werkmap is beschadigd of onvolledig"),
        (
            "l.xlsx",
            _zip({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<broken"}),
            "de xlsx-werkmap kan niet worden gelezen. Open hem",
        ),
        ("l.xlsx", _cut_sheet(), "de inhoud van de werkmap is beschadigd"),
        ("l.ods", _encrypted_ods(), "de werkmap is beveiligd met een wachtwoord"),
        ("l.xlsx", (FILES / "protected.xlsx").read_bytes(), "beveiligd met een wachtwoord"),
        ("l.numbers", _zip({"Index/Document.iwa": b"x"}), "dit is een Apple Numbers-bestand"),
        (
            "export.xls",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "dit is een webpagina of een Excel 2003 XML-bestand met een Excel-naam",
        ),
        (
            "export.xls",
            b"<html><body><table><tr><td>Naam</td></tr></table></body></html>",
            "dit is een webpagina of een Excel 2003 XML-bestand met een Excel-naam",
        ),
        (
            "l.xlsx",
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
            "dit is een Word-document, geen leverancierslijst",
        ),
    ],
)
def test_a_file_no_reader_opens_is_refused_in_the_readers_language(
    name: str, data: bytes, dutch: str, caplog: pytest.LogCaptureFixture
) -> None:
    for head in (None, 50):
        with pytest.raises(ParseError) as refused, caplog.at_level(logging.INFO):
            read_table(name, data, head=head)
        with translation.override("nl"):
            text = str(refused.value)
        assert dutch in text, text
        # The library's own words are for the log, never for the member.
        for words in ("zip file", "Calamine", "Error", "XML parse"):
            assert words not in text, text


def test_the_librarys_words_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.INFO, logger="imvo.supplychain.parsing"),
        pytest.raises(ParseError),
    ):
        read_table("l.xlsx", b"PK\x03\x04garbage" * 10)
    assert "File is not a zip file" in caplog.text


@pytest.mark.skipif(
    subprocess.run(["which", "soffice"], capture_output=True).returncode != 0,
    reason="LibreOffice is needed to make the files again",
)
@pytest.mark.parametrize(
    "shape", ["second-sheet", "empty-template-first", "two-row-header", "header-only", "empty"]
)
def test_libreoffice_makes_the_committed_files_again(shape: str, tmp_path: Path) -> None:
    source = tmp_path / f"shape-{shape}.xlsx"
    source.write_bytes(_source(shape))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    made = (tmp_path / "out" / source.name).read_bytes()

    def read(data: bytes) -> object:
        try:
            table = read_table("l.xlsx", data)
        except ParseError as e:
            return e.reason
        return (table.sheet, table.header, table.rows)

    assert read(made) == read(_file(shape))


def test_a_password_error_of_the_reader_is_the_password_reason() -> None:
    """An .xls saved with a password (calamine: PasswordError, "Workbook is password
    protected"); LibreOffice cannot write one from the command line, so the reader's
    error is given here as calamine raises it."""
    from imvo.supplychain.parsing import _damaged

    class PasswordError(Exception):
        pass

    reason = _damaged("l.xls", PasswordError("Workbook is password protected"), "xls")
    with translation.override("nl"):
        assert "beveiligd met een wachtwoord" in str(reason)


def test_a_file_that_could_not_be_read_shows_no_empty_stages(world, db) -> None:
    from django.test import Client

    from imvo.core.errors import DomainError
    from imvo.supplychain import services
    from imvo.supplychain.models import SupplierList
    from imvo.supplychain.tests.test_services import YEAR

    with pytest.raises(DomainError):
        services.upload_list(world.member_a, world.covenant_x, YEAR, "l.xlsx", _file("empty"))
    sl = SupplierList.objects.get()
    client = Client(headers={"accept-language": "nl"})
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "Dit bestand kon niet worden gelezen: l.xlsx: er staat geen tekst op" in page
    assert "data-stage" not in page
