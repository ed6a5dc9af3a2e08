"""Fuzz the supplier-list parser on CSV, XLSX, XLS and ODS input.

Starting from real files (made by LibreOffice), hypothesis flips, cuts and
splices bytes. Whatever arrives, `read_table` either returns a table or raises
a ParseError with a message for the user: never another exception (which
would reach the user as a crash). Inputs that once crashed are kept below as
explicit examples (regression tests).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imvo.supplychain.parsing import ParseError, read_table
from imvo.supplychain.tests.helpers import xlsx_with_sheet

FILES = Path(__file__).parent / "files"
SAMPLES = {
    p.name: p.read_bytes() for p in FILES.iterdir() if p.suffix in {".csv", ".xlsx", ".xls", ".ods"}
}


def _read(name: str, data: bytes) -> None:
    try:
        table = read_table(name, data)
    except ParseError as e:
        assert str(e).startswith(name), str(e)  # the message names the file
        return
    for number, cells in table.rows:
        assert isinstance(number, int) and all(isinstance(c, str) for c in cells)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        else:
            del data[at:]
    return name, bytes(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
@example(("suppliers.csv", b"\xff\xfe"))
@example(("suppliers.csv", b"name,address,country\n\x00\x00\x00"))
@example(("suppliers.xlsx", b"PK\x03\x04" + b"\x00" * 40))
@example(("suppliers.ods", b"PK\x05\x06" + b"\x00" * 18))
def test_mutated_files_never_crash_the_parser(case: tuple[str, bytes]) -> None:
    _read(*case)


@settings(max_examples=100)
@given(st.binary(max_size=2048), st.sampled_from(["x.csv", "x.xlsx", "x.ods", "x.xls", "x"]))
def test_random_bytes_never_crash_the_parser(data: bytes, name: str) -> None:
    _read(name, data)


@settings(max_examples=60)
@given(
    st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=6), min_size=1, max_size=30),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
)
def test_any_csv_text_in_any_encoding_is_read_or_refused_clearly(rows, delimiter, encoding) -> None:
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    _read("list.csv", data)


@pytest.mark.parametrize("crash", sorted(p.name for p in FILES.glob("crash-*")))
def test_inputs_that_once_crashed_are_refused_clearly(crash: str) -> None:
    """Regression: files the fuzzer found (calamine panicked on a damaged .xls)."""
    with pytest.raises(ParseError, match="cannot be read"):
        read_table(crash, (FILES / crash).read_bytes())


def test_zip_bomb_inside_an_xlsx_is_refused_before_unpacking() -> None:
    bomb = xlsx_with_sheet(b"0" * (400 * 1024 * 1024))
    with pytest.raises(ParseError, match=r"bomb\.xlsx: the workbook would unpack"):
        read_table("bomb.xlsx", bomb)


def _refusal_within_2_gb(name: str, path: Path) -> str:
    """What read_table says of the file at `path` (read as `name`) in a fresh
    interpreter limited to 2 GB of address space: a reader that tried to allocate
    the sheet's grid fails there instead of exhausting the machine."""
    import subprocess
    import sys

    code = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from imvo.supplychain.parsing import read_table, ParseError;"
        "data = open(sys.argv[2], 'rb').read();"
        "exec('try:\\n read_table(sys.argv[1], data)\\nexcept ParseError as e:\\n print(e)')"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, name, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_a_cell_far_out_is_refused_before_the_grid_is_allocated() -> None:
    """Regression: the mutation fuzzer made an xlsx whose one cell at XFD1048576
    asked the reader for a 17-billion-cell grid and ran a CI worker out of memory
    (23 GB). oom-far-cell.xlsx is that shape: a LibreOffice list with one cell
    moved to the last row and column. Run under a 2 GB address-space limit, so a
    regression fails here instead of exhausting the machine."""
    refusal = _refusal_within_2_gb("oom-far-cell.xlsx", FILES / "oom-far-cell.xlsx")
    assert "oom-far-cell.xlsx: the sheet has something in row 1,048,576, column 16,384" in refusal
    assert "Delete the unused rows and columns" in refusal


def test_cells_without_positions_in_a_far_row_are_refused() -> None:
    from imvo.supplychain.parsing import MAX_CELLS

    with zipfile.ZipFile(FILES / "oom-far-cell.xlsx") as src:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b'r="XFD1048576"', b'r="AX2"').replace(
                        b"</sheetData>",
                        b'<row r="900000"><c><v>1</v></c><c><v>2</v></c></row></sheetData>',
                    )
                out.writestr(info.filename, data)
    assert MAX_CELLS < 900_000 * 50
    with pytest.raises(ParseError, match="row 900,000, column 50"):
        read_table("far-row.xlsx", buf.getvalue())


def _ods_with_repeated_content(rows: int, columns: int) -> bytes:
    """suppliers.ods (LibreOffice) plus one row of content repeated ``rows`` times,
    ``columns`` cells wide: a few KB that ask the reader for rows x columns cells."""
    import re

    row = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(FILES / "suppliers.ods") as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "content.xml":
                first = re.search(rb"<table:table-row[^>]*>.*?</table:table-row>", data, re.S)
                assert first is not None
                data = data.replace(first.group(0), first.group(0) + row, 1)
            out.writestr(info, data)
    return buf.getvalue()


def test_repeated_ods_content_is_refused_before_the_grid_is_built() -> None:
    """A 32 KB .ods repeating one filled row a million times, 50 cells wide, made
    the reader use 6.3 GB before the sheet could be refused. The rows and
    columns are now counted from content.xml first (under a 2 GB limit here, in
    which the reader itself could not build that grid)."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".ods") as f:
        f.write(_ods_with_repeated_content(1_000_000, 50))
        f.flush()
        refusal = _refusal_within_2_gb("repeated.ods", Path(f.name))
    assert "repeated.ods: the sheet has something in row 1,000,001, column 50" in refusal


def test_repeated_empty_cells_of_a_real_ods_are_not_counted() -> None:
    """LibreOffice repeats empty rows and cells to the sheet's edge; a modest
    repeated block of content is read."""
    table = read_table("block.ods", _ods_with_repeated_content(1000, 10))
    assert len(table.rows) == 25 + 1000


def test_a_damaged_deflate_stream_in_a_sheet_is_a_parse_error() -> None:
    """A flipped byte inside a sheet's compressed data makes zlib raise its own
    error (found by the fuzz test above): it must reach the user as a ParseError."""
    sheet = b"<worksheet><sheetData>" + b"<row r='1'><c r='A1'><v>1</v></c></row>" * 200
    data = bytearray(xlsx_with_sheet(sheet + b"</sheetData></worksheet>"))
    start = data.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    for at in range(start + 5, start + 40):
        data[at] ^= 0x5A
    with pytest.raises(ParseError) as raised:
        read_table("suppliers.xlsx", bytes(data))
    assert str(raised.value).startswith("suppliers.xlsx")
