"""Reading supplier-list files: real spreadsheet files, encodings, and bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from imvo.supplychain import parsing
from imvo.supplychain.parsing import ParseError, read_table, validate_rows
from imvo.supplychain.tests.helpers import xlsx_with_sheet, zip_bytes

FILES = Path(__file__).parent / "files"


def _read(name: str) -> parsing.Table:
    return read_table(name, (FILES / name).read_bytes())


@pytest.mark.parametrize(
    "name", ["suppliers.csv", "suppliers.xlsx", "suppliers.ods", "suppliers.xls"]
)
def test_real_files_from_a_spreadsheet_program_read_the_same(name: str) -> None:
    table = _read(name)
    reference = _read("suppliers.csv")
    assert table.kind == name.rsplit(".", 1)[1]
    assert table.header == ["Naam fabriek", "Adres", "Land", "Sector", "Aantal werknemers"]
    assert table.column_mapping() == {
        "name": 0,
        "address": 1,
        "country": 2,
        "sector": 3,
        "workers": 4,
    }
    assert [r for _, r in table.rows] == [r for _, r in reference.rows]
    assert table.rows[0][0] == 2  # spreadsheet row numbers: the header is row 1
    results = validate_rows(table, table.column_mapping())
    assert len(results) == 25
    assert results[0].values["country_code"] == "PE"
    assert results[0].values["workers"] == 100


def test_encoding_and_delimiter_are_detected() -> None:
    text = "Naam;Adres;Land\nFábrica Açúcar Ltda;Rua São Bento 12, Guimarães;Portugal\nÖzlem Tekstil;Bağlar Mah. 7;Türkiye\n"
    table = read_table("list.csv", text.encode("cp1252", errors="replace").replace(b"?", b"g"))
    assert table.delimiter == ";"
    assert table.rows[0][1][0] == "Fábrica Açúcar Ltda"
    utf16 = read_table("list.csv", text.encode("utf-16"))
    assert utf16.rows[1][1][0] == "Özlem Tekstil"
    tabbed = read_table("list.txt", text.replace(";", "\t").encode("utf-8-sig"))
    assert tabbed.delimiter == "\t" and tabbed.header[0] == "Naam"


def test_a_quote_and_semicolon_in_one_name_do_not_change_the_delimiter() -> None:
    """csv.Sniffer took ';' for this comma file (a name written `";`), and the header
    read as one column: "no country column; found 'name,country'"."""
    table = read_table("list.csv", b'name,country\n""";",China\nA Ltd,BD\n')
    assert table.delimiter == ","
    assert table.header == ["name", "country"]
    assert [cells for _, cells in table.rows] == [['";', "China"], ["A Ltd", "BD"]]
    titled = read_table(
        "list.csv", b"Suppliers 2025\n\nNaam;Adres;Land\nA, B en Zn;Weg 1, Gent;BE\n"
    )
    assert titled.delimiter == ";" and titled.header == ["Naam", "Adres", "Land"]


def test_title_rows_above_the_header_are_skipped() -> None:
    data = b"Supplier list 2024,,\nNoorderlicht Fashion,,\n\nFactory name,Address,Country\nA Ltd,Road 1,BD\n"
    table = read_table("l.csv", data)
    assert table.header_row == 4 and table.rows == [(5, ["A Ltd", "Road 1", "BD"])]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("blank.xlsx", b"   \n  ", "blank.xlsx: the file is empty"),
        (
            "list.xlsx",
            b"name,address,country\nA,B,C\n",
            "the name says .xlsx but the file is plain text",
        ),
        ("list.xlsx", b"%PDF-1.7\n...", "list.xlsx: this is a PDF document"),
        ("list.xls", b"\x89PNG\r\n\x1a\n....", "list.xls: this is an image"),
        ("list.csv", b"name,address,country\n", "has a header row (row 1) but no data rows"),
        ("list.xlsx", b"PK\x03\x04garbage", "the workbook is damaged"),
    ],
)
def test_bad_files_get_a_clear_message(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ParseError) as e:
        read_table(name, data)
    assert message in str(e.value)


def test_a_dutch_reader_gets_the_message_in_dutch_with_dutch_numbers() -> None:
    """The upload page shows the reader's language (the messages were English only).
    The message is put in the language of whoever reads it, when it is read: the
    same error read by an English reader is English (`reasons.Reason`)."""
    from django.utils import translation

    with pytest.raises(ParseError) as e:
        read_table("lijst.xlsx", b"%PDF-1.7\n...")
    with translation.override("nl"):
        assert str(e.value) == (
            "lijst.xlsx: dit is een pdf-document, geen leverancierslijst. "
            "Upload een .csv-, .xlsx-, .xls- of .ods-bestand."
        )
    with translation.override("en"):
        assert str(e.value).startswith("lijst.xlsx: this is a PDF document, not a supplier list")
    rows = b"naam,adres,land\n" + b"A,B,BD\n" * 1001
    with translation.override("nl"), pytest.raises(ParseError) as e:
        read_table("lijst.csv", rows, max_rows=1000)
    with translation.override("nl"):
        assert "de grens is 1.000. Splits hem in meerdere lijsten." in str(e.value)


def test_password_protected_workbook() -> None:
    with pytest.raises(
        ParseError, match=r"protected.xlsx: the workbook is protected with a password"
    ):
        _read("protected.xlsx")


def test_zip_bomb_is_refused_before_unpacking() -> None:
    bomb = xlsx_with_sheet(b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ParseError, match=r"bomb.xlsx: the workbook would unpack to 20 MB"):
        read_table("bomb.xlsx", bomb)


def test_zip_that_is_no_spreadsheet() -> None:
    photos = zip_bytes({"photo.jpg": b"x" * 100}, zipfile.ZIP_STORED)
    with pytest.raises(ParseError, match="a zip archive, not a spreadsheet"):
        read_table("list.xlsx", photos)


def test_size_and_row_limits() -> None:
    data = b"name,address,country\n" + b"A,B,BD\n" * 15
    with pytest.raises(ParseError, match=r"l.csv: the list has 15 rows; the limit is 10"):
        read_table("l.csv", data, max_rows=10)
    # Far more rows than the limit are refused while reading (hostile_uploads).
    with pytest.raises(ParseError, match=r"l.csv: the list has more than 10 rows; the limit is 10"):
        read_table("l.csv", data * 4, max_rows=10)
    with pytest.raises(ParseError, match=r"l.csv: the file is 0.0 MB; the limit is 0 MB"):
        read_table("l.csv", data, max_bytes=100)


def test_row_problems_name_row_and_column() -> None:
    data = (
        b"Factory name,Address,Country,Workers\n"
        b"Alpha Garments Ltd,12 Road,Bangladesh,1.200\n"
        b",3 Street,India,10\n"
        b"Beta Ltd,7 Lane,Atlantis,\n"
        b'"=HYPERLINK(""http://x"")",1 Road,VN,\n'
        b"ALPHA GARMENTS LIMITED,12 Road,BD,\n"
        b"Gamma Ltd,9 Road,CN,lots\n"
    )
    table = read_table("l.csv", data)
    results = {r.number: r for r in validate_rows(table, table.column_mapping())}
    assert results[2].valid and results[2].values["workers"] == 1200
    assert results[3].errors == [("Factory name", "the name is missing")]
    assert (
        results[4].errors[0][0] == "Country"
        and "unknown country 'Atlantis'" in results[4].errors[0][1]
    )
    assert (
        results[5].errors[0][0] == "Factory name"
        and "contains a formula" in results[5].errors[0][1]
    )
    assert results[6].duplicate_of == 2 and not results[6].valid
    # An optional field that is not what it should be costs the field, not the row.
    assert results[7].valid and results[7].values["workers"] is None
    assert results[7].warnings == [
        ("Workers", "'lots' is not a number of workers; the number of workers is left out")
    ]


def test_unknown_headers_need_mapping() -> None:
    table = read_table("l.csv", b"Fabriek X,Waar,Land\nA,B,BD\n")
    assert parsing.missing_required(table.column_mapping()) == ["name", "address"]


def test_coordinates_are_checked_per_row_and_bad_ones_only_warn() -> None:
    csv = (
        b"name,address,country,lat,lng\n"
        b"Good,Road 1,NL,52.37,4.89\n"
        b"Swapped,Road 2,NL,4.89,52.37\n"
        b"Zero,Road 3,NL,0,0\n"
        b"Elsewhere,Road 4,NL,23.81,90.41\n"
        b"Text,Road 5,NL,north,4.89\n"
        b"Range,Road 6,NL,152.3,400\n"
        b'Comma,Road 7,NL,"52,37","4,89"\n'
        b"Half,Road 8,NL,52.37,\n"
        b"None,Road 9,NL,,\n"
    )
    table = read_table("coords.csv", csv)
    results = validate_rows(table, table.column_mapping())
    assert len(results) == 9 and all(r.valid for r in results)  # no row is lost
    got = {r.values["name"]: (r.values["lat"], r.values["lng"], r.warnings) for r in results}
    assert got["Good"] == (52.37, 4.89, [])
    assert got["Swapped"][:2] == (52.37, 4.89) and "swapped" in got["Swapped"][2][0][1]
    assert got["Zero"][:2] == (None, None) and "unknown" in got["Zero"][2][0][1]
    assert got["Elsewhere"][:2] == (None, None) and "outside NL" in got["Elsewhere"][2][0][1]
    assert got["Text"][:2] == (None, None)
    assert "'north' is not a latitude" in got["Text"][2][0][1]
    # Which column: the latitude's own (walked: "lat, lng: 'north' is not a latitude;
    # lat, lng: 'east' is not a longitude" named both columns for each).
    assert got["Text"][2][0][0] == "lat"
    assert got["Range"][2][0][0] == "lat, lng"  # the pair
    assert got["Range"][:2] == (None, None) and "out of range" in got["Range"][2][0][1]
    assert got["Comma"][:2] == (52.37, 4.89)
    assert got["Half"][:2] == (None, None) and "only one" in got["Half"][2][0][1]
    assert got["None"] == (None, None, [])
    both = read_table("c.csv", b"name,address,country,lat,lng\nX,Road 1,NL,north,east\n")
    (row,) = validate_rows(both, both.column_mapping())
    assert [c for c, _m in row.warnings] == ["lat", "lng"]


def test_one_lat_lng_column_is_read() -> None:
    csv = b'name,address,country,"lat, lng"\nA,Road 1,BD,"23.81, 90.41"\nB,Road 2,BD,somewhere\n'
    table = read_table("pair.csv", csv)
    assert table.column_mapping()["coordinates"] == 3
    a, b = validate_rows(table, table.column_mapping())
    assert (a.values["lat"], a.values["lng"], a.warnings) == (23.81, 90.41, [])
    assert b.valid and b.values["lat"] is None
    assert b.warnings == [
        ("lat, lng", "'somewhere' is not 'latitude, longitude'; coordinates left out")
    ]


def _xlsx(rows: int, title_rows: int = 0) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for i in range(title_rows):
        sheet.append([f"Supplier list, part {i + 1}"])
    sheet.append(["Factory name", "Address", "Country", "Workers"])
    for i in range(rows):
        sheet.append([f"Mill {i}", f"{i} Mill Road, Gazipur", "BD", 100 + i])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_request_reads_only_the_head_of_a_big_workbook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _xlsx(5_000, title_rows=2)
    whole = read_table("big.xlsx", data)
    # The upload request streams the first rows and never hands the sheet to
    # calamine, which parses every row before it gives one.
    with monkeypatch.context() as m:
        m.setattr("python_calamine.CalamineWorkbook.from_filelike", _must_not_be_called)
        head = read_table("big.xlsx", data, head=parsing.HEAD_ROWS)
    assert not head.complete
    assert len(head.rows) <= parsing.HEAD_ROWS + 10 < len(whole.rows) == 5_000
    assert head.header == whole.header == ["Factory name", "Address", "Country", "Workers"]
    assert head.header_row == whole.header_row == 3
    assert head.rows == whole.rows[: len(head.rows)]
    assert head.column_mapping() == whole.column_mapping()


def test_a_small_workbook_read_by_its_head_is_complete_and_the_same() -> None:
    data = (FILES / "suppliers.xlsx").read_bytes()
    head = read_table("suppliers.xlsx", data, head=parsing.HEAD_ROWS)
    whole = read_table("suppliers.xlsx", data)
    assert head.complete and (head.header, head.rows) == (whole.header, whole.rows)


def test_a_workbook_the_stream_cannot_read_falls_back_to_calamine() -> None:
    # A sheet relation that points nowhere: calamine reads what it can, or says why not.
    data = _xlsx(3)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"worksheets/nowhere.xml")
            dst.writestr(item, content)
    assert parsing._xlsx_head(broken.getvalue(), 10) is None
    assert parsing._xlsx_head(data, 10) is not None


def _must_not_be_called(*args: object, **kwargs: object) -> None:
    raise AssertionError("the request parsed the whole workbook")


def test_a_windows_csv_given_a_utf8_mark_is_read_in_its_own_encoding() -> None:
    """A cp1252 export with a UTF-8 byte-order mark in front (another program added
    it): every é was unreadable and each row with one rejected ("save the file as
    UTF-8"), and picking cp1252 on the preview glued "ï»¿" to the first column's
    name, so the name column was no longer recognised."""
    text = "Naam fabriek;Adres;Land\r\nCafé Textiel Société;Rue de l'Église 12, Tunis;Tunesië\r\n"
    data = b"\xef\xbb\xbf" + text.encode("cp1252")
    for table in (read_table("l.csv", data), read_table("l.csv", data, head=parsing.HEAD_ROWS)):
        assert table.encoding == "cp1252"
        assert table.header == ["Naam fabriek", "Adres", "Land"]
        assert table.rows[0][1][0] == "Café Textiel Société"
    chosen = read_table("l.csv", data, encoding="cp1252")
    assert chosen.header[0] == "Naam fabriek" and chosen.column_mapping()["name"] == 0
    # A UTF-8 file with one damaged byte keeps its UTF-8 reading (and that cell its error).
    damaged = b"\xef\xbb\xbfname,address,country\nCaf\xc3\xa9 \xe9 A,Road 1,BD\n"
    table = read_table("d.csv", damaged)
    assert table.encoding == "utf-8-sig" and table.rows[0][1][0] == "Café \ufffd A"


def test_the_parser_imports_before_any_settings() -> None:
    """`imvo match` and the matching benchmarks import the parser in a process whose
    settings are never read (no SECRET_KEY): a translation call at import time broke that."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "IMVO_TESTING")}
    env["DJANGO_SETTINGS_MODULE"] = "imvo.settings"
    done = subprocess.run(
        [sys.executable, "-c", "import imvo.supplychain.parsing"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
