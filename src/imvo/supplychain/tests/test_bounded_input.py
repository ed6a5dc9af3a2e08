"""Odd input found by hand: a cell over csv's 128 KiB field limit (a 500 on the web
and the API, a traceback in `imvo scan`) and short West-European files in a
Windows code page (read as Central European: "Tęxteis Săo Joăo"). Both with real
files written in those encodings, through the web, the API and the CLI."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from imvo.accounts.models import ApiToken
from imvo.supplychain import parsing, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import confirm_form, make_registry
from imvo.supplychain.tests.test_services import YEAR

HUGE = "x" * 200_000


def _huge_cell_csv() -> bytes:
    return (
        "Factory name,Address,Country\n"
        '"Dhaka Knit Composite Ltd","Plot 12, Road 3, Gazipur Industrial Area",BD\n'
        f'"Saigon Sewing JSC","{HUGE}",VN\n'
    ).encode()


def test_a_200_kb_cell_is_a_row_error_naming_row_and_column() -> None:
    table = parsing.read_table("long.csv", _huge_cell_csv())
    results = parsing.validate_rows(table, table.column_mapping())
    assert results[0].valid
    assert results[1].number == 3
    assert results[1].errors == [("Address", "200,000 characters, at most 1,000")]
    assert len(results[1].raw["Address"]) <= parsing.MAX_CELL_CHARS + 1  # the file keeps it whole


def test_a_long_unmapped_cell_is_a_row_error_too() -> None:
    data = f'Factory name,Address,Country,Notes\n"A Mill","1 Road",BD,"{HUGE}"\n'.encode()
    table = parsing.read_table("notes.csv", data)
    (result,) = parsing.validate_rows(table, table.column_mapping())
    assert result.errors == [("Notes", "200,000 characters, at most 2,000")]


def test_a_200_kb_cell_on_the_web_and_the_api(client, world, db) -> None:
    make_registry()
    client.force_login(world.member_a)
    r = client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": YEAR,
            "file": SimpleUploadedFile("long.csv", _huge_cell_csv()),
        },
    )
    assert r.status_code == 302
    sl = SupplierList.objects.get()
    assert sl.status == SupplierList.Status.PREVIEW, sl.error  # the member confirms first
    row = sl.rows.get(number=3)
    assert row.errors == [["Address", "200,000 characters, at most 1,000"]]
    page = client.get(r["Location"]).content.decode()
    assert "200,000 characters, at most 1,000" in page  # the preview names the row error
    client.post(f"/supply-chain/lists/{sl.pk}/confirm/", confirm_form(sl))
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    assert sl.summary["valid"] == 1 and sl.summary["rejected"] == 1
    _, token = ApiToken.issue(world.member_a)
    r = client.post(
        "/api/supplier-lists",
        {
            "covenant": world.covenant_x.slug,
            "year": YEAR,
            "file": SimpleUploadedFile("l.csv", _huge_cell_csv()),
            "mode": "replace",
        },
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 201 and r.json()["summary"]["rejected"] == 1


@pytest.mark.django_db
def test_a_200_kb_cell_in_the_cli_scan_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(_huge_cell_csv())
    with pytest.raises(CommandError, match="row 3, column 'Address': 200,000 characters"):
        call_command("scan", str(path))


ENCODED = [
    # (name, address, country, the encoding the file was saved in)
    ("Têxteis São João Lda", "Rua da Fábrica 12, Guimarães", "Portugal", "latin-1"),
    ("Atelier Côté Cœur", "12 rue de l\u2019Église, Roubaix", "France", "cp1252"),
    ("Müller Strickwaren GmbH", "Hauptstraße 5, München", "Germany", "cp1252"),
    ("Zakład Odzieżowy Łódź", "ul. Piotrkowska 5, Łódź", "Poland", "cp1250"),
    ("Anadolu Tekstil Ltd. Şti.", "Organize Sanayi Bölgesi, İstanbul", "Türkiye", "cp1254"),
]


@pytest.mark.parametrize(("name", "address", "country", "encoding"), ENCODED)
def test_short_files_in_windows_code_pages_read_right(
    name: str, address: str, country: str, encoding: str
) -> None:
    data = f'Factory name,Address,Country\n"{name}","{address}",{country}\n'.encode(encoding)
    table = parsing.read_table("list.csv", data)
    assert table.rows[0][1][:2] == [name, address]


def test_the_latin1_file_reaches_the_list_unmangled(world, db) -> None:
    data = 'Factory name,Address,Country\n"Têxteis São João Lda","Rua 1, Guimarães",PT\n'
    sl = services.upload_list(
        world.member_a, world.covenant_x, YEAR, "pt.csv", data.encode("latin-1")
    )
    row = sl.rows.get()
    assert (row.name, row.address) == ("Têxteis São João Lda", "Rua 1, Guimarães")


def test_scan_cli_error_is_not_a_traceback(tmp_path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("scan", str(path))


def test_reading_a_long_cell_leaves_csvs_field_limit_alone() -> None:
    """The process-wide limit is not the parser's to change: other threads and other
    readers (risk, regulation imports) keep csv's 128 KiB limit after a parse."""
    import csv

    before = csv.field_size_limit(131_072)  # csv's default, whatever ran before
    try:
        table = parsing.read_table("long.csv", _huge_cell_csv())
        assert csv.field_size_limit() == 131_072
        results = parsing.validate_rows(table, table.column_mapping())
        assert results[1].errors == [("Address", "200,000 characters, at most 1,000")]
        with pytest.raises(csv.Error, match="field limit"):
            list(csv.reader([f'"{HUGE}"\n']))
    finally:
        csv.field_size_limit(before)


def test_the_own_reader_reads_as_csv_does() -> None:
    import csv
    import io

    assert parsing._UNLIMITED_CSV is not None  # this Python makes one (CPython >= 3.12)
    text = 'a,"b ""q"" , c"\r\n"multi\nline",x"y,"z"tail\n\n;last,\'\'\n"open'
    ours = list(parsing._UNLIMITED_CSV.reader(io.StringIO(text, newline=""), dialect=csv.excel))
    assert ours == list(csv.reader(io.StringIO(text, newline="")))


def test_without_an_own_reader_a_long_cell_refuses_the_file_clearly(monkeypatch) -> None:
    import csv

    monkeypatch.setattr(parsing, "_UNLIMITED_CSV", None)
    before = csv.field_size_limit(131_072)
    try:
        with pytest.raises(
            parsing.ParseError, match=r"long.csv: a cell on line 3 is longer than 131,072"
        ):
            parsing.read_table("long.csv", _huge_cell_csv())
    finally:
        csv.field_size_limit(before)
