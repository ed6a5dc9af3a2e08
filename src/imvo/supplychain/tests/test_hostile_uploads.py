"""Supplier lists as members really send them: templates made by spreadsheet
programs, legacy encodings, damaged CSV (docs/security.md, T33-T37).

Every row of the file is accounted for (read, or given a row error that names
the row and column) and no file makes the reader fail with anything but a
ParseError written for the member.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from imvo.supplychain.parsing import HEAD_ROWS, ParseError, read_table, validate_rows
from imvo.supplychain.tests.helpers import zip_bytes

FILES = Path(__file__).parent / "files"


def _both(name: str, data: bytes) -> list:
    """The table as the upload request reads it (the head) and as the worker does
    (the whole file); both must agree on the sheet, the header and the rows."""
    head = read_table(name, data, head=HEAD_ROWS)
    whole = read_table(name, data)
    assert (head.sheet, head.header, head.header_row) == (
        whole.sheet,
        whole.header,
        whole.header_row,
    )
    assert head.rows == whole.rows[: len(head.rows)]
    return [head, whole]


def _template_source() -> bytes:
    """The member's template of `files/template-quirks.*` before LibreOffice saved it
    (openpyxl writes formulas without their results)."""
    import csv

    rows = list(csv.reader((FILES / "suppliers.csv").open(encoding="utf-8")))
    wb = openpyxl.Workbook()
    lookup = wb.active
    lookup.title = "Lookup"
    lookup.append(["code", "land"])
    lookup.append(["BD", "Bangladesh"])
    lookup.sheet_state = "hidden"
    info = wb.create_sheet("Instructions")
    info.append(["Fill in one row per production location on the sheet Suppliers."])
    info.append(["Naam", "Adres"])
    sheet = wb.create_sheet("Suppliers")
    sheet.append(["Leverancierslijst 2025 - Voorbeeld BV"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(rows[0])
    for r in rows[1:6]:
        sheet.append([r[0], r[1], r[2], r[3], int(r[4])])
    sheet.append([])
    sheet.append(
        [
            '=CONCATENATE("Rahim ","Knit Ltd")',
            "Plot 5, Road 1, Gazipur",
            "=Lookup!B2",
            "Apparel",
            120,
        ]
    )
    sheet.append([datetime.date(2024, 3, 1), "Road 9, Dhaka", "BD", "Apparel", 10])
    sheet.append([4711, "Road 10, Dhaka", "BD", "Apparel", 10])
    sheet.append(["Long Address Mill", "x" * 3000, "BD", "Apparel", 10])
    sheet.append(["Totaal", None, None, None, "=SUM(E4:E14)"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("ext", ["xlsx", "ods", "xls"])
def test_a_template_saved_by_a_spreadsheet_program_is_read_row_by_row(ext: str) -> None:
    """Hidden lookup sheet and instructions in front, merged title, header on row 3,
    empty rows, formulas, a date and a number as names, a long cell, a totals row:
    the list sheet is found and every row is read or named with its problem."""
    for table in _both(f"template.{ext}", (FILES / f"template-quirks.{ext}").read_bytes()):
        assert table.sheet == "Suppliers"
        assert table.header_row == 3
        assert table.header[:3] == ["Naam fabriek", "Adres", "Land"]
        assert [n for n, _ in table.rows] == [4, 5, 6, 7, 8, 10, 11, 12, 13, 14]
        results = {r.number: r for r in validate_rows(table, table.column_mapping())}
        # The formulas as the program computed them, one through the hidden sheet.
        assert results[10].values["name"] == "Rahim Knit Ltd"
        assert results[10].values["country_code"] == "BD"
        assert results[11].values["name"] == "2024-03-01"  # a date, as the sheet shows it
        assert results[12].values["name"] == "4711"
        assert results[13].errors == [("Adres", "3,000 characters, at most 1,000")]
        assert results[14].errors == [
            ("Adres", "the address is missing"),
            ("Land", "the country is missing"),
        ]
        assert all(results[n].valid for n in (4, 5, 6, 7, 8, 10, 11, 12))


def test_formulas_saved_without_their_results_are_named_not_read_as_empty() -> None:
    """openpyxl (and many systems' exports) write a formula without its result: the
    name read as empty and the member was told "the name is missing" for a cell
    that shows a name on screen."""
    for table in _both("template.xlsx", _template_source()):
        results = {r.number: r for r in validate_rows(table, table.column_mapping())}
        assert results[10].errors == [
            (
                "Naam fabriek",
                'contains a formula (=CONCATENATE("Rahim ","Knit Ltd")); enter the value itself',
            ),
            ("Land", "contains a formula (=Lookup!B2); enter the value itself"),
        ]
        # The totals row's formula is in an optional column: named as well.
        assert (
            "Aantal werknemers",
            "contains a formula (=SUM(E4:E14)); enter the value itself",
        ) in (results[14].errors)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("ext", ["xlsx", "ods", "xls"])
def test_libreoffice_makes_the_committed_template_files_again(ext: str, tmp_path: Path) -> None:
    """The committed files are what LibreOffice makes of `_template_source` (run where
    LibreOffice is installed: apt-get install libreoffice-calc-nogui)."""
    source = tmp_path / "template.xlsx"
    source.write_bytes(_template_source())
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", ext, "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    made = read_table(f"t.{ext}", (tmp_path / "out" / f"template.{ext}").read_bytes())
    committed = read_table(f"t.{ext}", (FILES / f"template-quirks.{ext}").read_bytes())
    assert (made.sheet, made.header, made.rows) == (
        committed.sheet,
        committed.header,
        committed.rows,
    )


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it() -> None:
    """A quote that opens a cell and never closes made the reader take every later
    row as part of that cell: three rows became one, without a word."""
    data = b'name,address,country\n"Alpha Ltd,Road 1,BD\nBeta Ltd,Road 2,VN\nGamma,"Road 3,PK\nDelta,Road 4,IN\n'
    for table in _both("l.csv", data):
        assert [n for n, _ in table.rows] == [2, 3, 4, 5]
        assert table.rows[1][1] == ["Beta Ltd", "Road 2", "VN"]
        assert table.rows[3][1] == ["Delta", "Road 4", "IN"]
        results = validate_rows(table, table.column_mapping())
        assert results[0].values["name"] == '"Alpha Ltd'
        assert results[0].warnings[0][0] == "name"
        assert "never closes" in results[0].warnings[0][1]
        assert results[2].warnings[0][0] == "address"
        assert not results[1].warnings and not results[3].warnings
    # A quoted cell over two lines is not a stray quote.
    table = read_table("l.csv", b'name,address,country\nA,"Road 1\nDhaka",BD\nB,Road 2,VN\n')
    assert [r for _, r in table.rows] == [["A", "Road 1 Dhaka", "BD"], ["B", "Road 2", "VN"]]
    assert not table.stray_quotes


def test_many_unclosed_quotes_refuse_the_file_with_the_row() -> None:
    data = b"name,address,country\n" + b'"A,Road,BD\n' * 30
    with pytest.raises(ParseError, match=r"never close on more than 20 rows \(row 2 and on\)"):
        read_table("l.csv", data)


def test_a_stray_nul_byte_is_a_row_error_not_a_refused_file() -> None:
    """One byte 0 in a cell refused the whole file as "not a text file" (and would
    have been refused by PostgreSQL had it got through)."""
    data = b"name,address,country\nA\x00 Ltd,Road 1,BD\nB Ltd,Road 2,VN\n"
    table = read_table("l.csv", data)
    results = validate_rows(table, table.column_mapping())
    assert results[0].errors == [
        ("name", "contains characters that could not be read; save the file as UTF-8")
    ]
    assert results[1].valid
    assert all("\x00" not in v for r in results for v in r.raw.values())
    # A binary file is still no CSV.
    with pytest.raises(ParseError, match="it looks like binary data"):
        read_table("l.csv", b"name\x00\x00\x00\x01\x02" * 200)


def test_files_joined_together_a_mid_file_bom_and_a_repeated_header() -> None:
    """Two exports pasted into one file: a byte-order mark before the second header
    and in front of a name; the repeated header is named as such (it was "unknown
    country 'country'")."""
    text = "name,address,country\nA,R1,BD\n\ufeffname,address,country\n\ufeffB,R2,VN\n"
    table = read_table("l.csv", text.encode())
    results = validate_rows(table, table.column_mapping())
    assert results[1].errors == [("name", "this row repeats the header row; remove it")]
    assert results[2].values["name"] == "B" and results[2].valid


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_utf16_with_and_without_a_byte_order_mark(encoding: str, bom: bytes) -> None:
    text = (
        "name\taddress\tcountry\n广州服装厂\t天河路 1\tChina\r\nTêxteis São João\tRua 1\tPortugal\n"
    )
    table = read_table("l.txt", bom + text.encode(encoding))
    assert [r[0] for _, r in table.rows] == ["广州服装厂", "Têxteis São João"]


def test_a_short_chinese_list_in_gb18030_is_not_read_as_korean() -> None:
    """charset-normalizer took three GB18030 rows for Korean (cp949): "밤鹵륩陋낍" for
    广州服装厂, every row accepted, nothing matched."""
    text = "name,address,country\n广州服装厂,天河路 1,China\nA Ltd,Road 2,BD\nB Ltd,Road 3,VN\n"
    table = read_table("l.csv", text.encode("gb18030"))
    assert table.rows[0][1][:2] == ["广州服装厂", "天河路 1"]
    # Korean and Japanese lists keep their code pages.
    korean = "name,address,country\n서울섬유공업,강남구 1,Korea\nA Ltd,Road 2,BD\n"
    assert read_table("l.csv", korean.encode("cp949")).rows[0][1][0] == "서울섬유공업"
    japanese = "name,address,country\n東京縫製株式会社,渋谷区 1,Japan\nA Ltd,Road 2,BD\n"
    assert read_table("l.csv", japanese.encode("cp932")).rows[0][1][0] == "東京縫製株式会社"


def test_a_header_then_one_huge_line_is_read_in_the_request_as_the_worker_does() -> None:
    """The request reads the file's head; a header followed by a 2 MB line was "a
    header row but no data rows" there, while the worker read the row."""
    data = b"name,address,country\n" + b"A" * (2 * 1024 * 1024) + b",Road,BD\n"
    head, whole = _both("l.csv", data)
    assert len(head.rows) == len(whole.rows) == 1
    result = validate_rows(whole, whole.column_mapping())[0]
    assert result.errors == [("name", "2,097,152 characters, at most 500")]


def test_a_million_row_csv_is_refused_while_reading() -> None:
    data = b"name,address,country\n" + b"F,R,BD\n" * 1_000_000
    with pytest.raises(ParseError, match=r"more than 100,000 rows; the limit is 100,000"):
        read_table("l.csv", data)


def test_mixed_line_endings_and_a_lone_cr_file() -> None:
    data = b"name,address,country\r\nA,R1,BD\nB,R2,VN\rC,R3,PK\r\n"
    assert [r[0] for _, r in read_table("l.csv", data).rows] == ["A", "B", "C"]
    old_mac = ("name,address,country\r" + "".join(f"F{i},R,BD\r" for i in range(20_000))).encode()
    head, whole = _both("l.csv", old_mac)
    assert whole.rows[-1][1][0] == "F19999" and len(head.rows) == HEAD_ROWS + 9


def test_a_head_naming_a_string_far_down_the_table_is_left_to_calamine() -> None:
    """The request's streamed head parsed the shared strings in Python up to the last
    one its rows name: an 8 MB workbook naming its 2,000,000th string held the upload
    request 27 s (benchmarks/bench_hostile_uploads.py strings; calamine: 2 s). Past
    `_HEAD_MAX_STRING` the streamed head gives way to calamine."""
    from imvo.supplychain import parsing

    count = parsing._HEAD_MAX_STRING + 2
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def inline(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    header = inline("A1", "name") + inline("B1", "address") + inline("C1", "country")
    strings = "".join(f"<si><t>s{i}</t></si>" for i in range(count - 1))

    def book(index: int) -> bytes:
        row = f'<c r="A2" t="s"><v>{index}</v></c>' + inline("B2", "Road") + inline("C2", "BD")
        return zip_bytes(
            {
                "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/'
                '2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
                "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
                "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
                "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>",
                "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>'
                f'<row r="1">{header}</row><row r="2">{row}</row></sheetData></worksheet>',
                "xl/sharedStrings.xml": f'<sst xmlns="{main}">{strings}<si><t>Far Mill</t></si></sst>',
            }
        )

    data = book(count - 1)
    assert parsing._xlsx_head(data, HEAD_ROWS) is None
    table = read_table("far.xlsx", data, head=HEAD_ROWS)
    assert table.rows[0][1][0] == "Far Mill"
    # Below the bound the head is streamed, with the same result.
    assert parsing._xlsx_head(book(7), HEAD_ROWS) == (
        [["name", "address", "country"], ["s7", "Road", "BD"]],
        "S",
        [],
        1,
    )


@pytest.mark.django_db
def test_the_template_uploaded_on_the_page_keeps_every_row_and_names_its_sheet(
    client, world
) -> None:
    """The upload flow end to end with the LibreOffice-made template: the original
    kept byte for byte, every row of the list stored with its status, the preview
    naming the sheet read and the rows in error by number and column."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from imvo.supplychain.models import SupplierList
    from imvo.supplychain.tests.helpers import make_registry

    make_registry()
    data = (FILES / "template-quirks.xlsx").read_bytes()
    client.force_login(world.member_a)
    r = client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": timezone.now().year - 1,
            "file": SimpleUploadedFile("Leverancierslijst 2025.xlsx", data),
        },
    )
    sl = SupplierList.objects.get()
    assert r.status_code == 302
    with sl.file.open("rb") as f:
        assert f.read() == data
    assert sorted(sl.rows.values_list("number", flat=True)) == [4, 5, 6, 7, 8, 10, 11, 12, 13, 14]
    assert sorted(sl.rows.filter(status="invalid").values_list("number", flat=True)) == [13, 14]
    page = client.get(r["Location"]).content.decode()
    assert "Read from the worksheet “Suppliers”." in page
    assert "Row 14" in page and "Adres: the address is missing" in page
