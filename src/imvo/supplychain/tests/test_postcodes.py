"""A postcode that lost its leading zero in a spreadsheet is read with it again.

A spreadsheet takes a column of postcodes for numbers unless told otherwise:
"01067" (Dresden) is kept as 1067, "00156" (Rome) as 156, and the CSV saved
from it holds the number. The platform read "1067 Dresden": an address that does
not exist, which the matcher then compared with the registry's "01067 Dresden".
Now:
- a cell in a zero-padded number format ("00000", Excel's "Special > Zip Code")
  is read as the member sees it ("08005"), without a word (.xlsx);
- a postcode of digits only that is shorter than its country's fixed length
  (`postcodes.FIXED`: countries whose postcodes may begin with 0) gets its zeros
  back, at most two, with a warning on the row that says what was read and why;
  a postcode shorter still is kept as written, with a warning;
- countries whose postcodes never begin with 0 (Bangladesh) keep theirs as written.

`files/postcodes.xlsx`, `.ods` and `.xls` were made by LibreOffice 7.4 from
`_source()` below (`soffice --headless --convert-to xlsx|ods|xls postcodes.xlsx`),
`files/postcodes.csv` from the .xlsx (`--convert-to csv:"Text - txt - csv
(StarCalc)":59,34,76`: semicolons, UTF-8, as shown, as a Dutch Excel saves it).
The names and addresses of the Italian, Sri Lankan and American rows are those
of Open Supply Hub lists (MIT licence, `../shared/data/open-supply-hub/`).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from imvo.supplychain import postcodes, row_messages
from imvo.supplychain.parsing import read_table, validate_rows
from imvo.supplychain.tests.helpers import libreoffice_convert

FILES = Path(__file__).parent / "files"
HEADER = ["Leverancier", "Straat", "Postcode", "Plaats", "Land", "KvK"]
# (name, street, postcode as the spreadsheet holds it, city, country, registry number)
ROWS: list[list[object]] = [
    ["GARSPORT SRL", "VIA PIAVE,15", 31040, "VOLPAGO DEL MONTELLO", "Italy", None],
    ["Textilwerk Sachsen GmbH", "Löbtauer Straße 12", 1067, "Dresden", "Germany", None],
    ["Maglificio Romano Srl", "Via Tiburtina 1020", 156, "Roma", "IT", None],
    ["Tejidos del Vallès SL", "Carrer de Pujades 77", 8005, "Barcelona", "Spain", None],
    ["Smart Shirts Limited KAT 1", "No. 10 Off Airport Road", 11450, "Katunayake", "Sri Lanka", None],
    ["Groceries Apparel", "5510 S. Soto Street Unit A", 90058, "Vernon", "US", None],
    ["Mill Street Knitting", "12 Mill St", 2128, "Boston", "US", None],
    ["Dhaka Knit Composite Ltd", "Plot 12 Road 3", 1700, "Gazipur", "Bangladesh", None],
    ["Weverij Twente BV", "Industrieweg 4", 7511, "Enschede", "NL", 1234567],
]  # fmt: skip
# The Spanish postcode and the registry number are shown with their zeros by a
# zero-padded number format; the others lost theirs.
PADDED = {(5, 3): "00000", (10, 6): "00000000"}
RESTORED = "a spreadsheet that keeps postcodes as numbers drops their leading zeros"


def _source() -> bytes:
    """The workbook of `files/postcodes.*` before LibreOffice saved it."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Leveranciers"
    sheet.append(HEADER)
    for values in ROWS:
        sheet.append(values)
    for (row, column), number_format in PADDED.items():
        sheet.cell(row=row, column=column).number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _addresses(name: str) -> tuple[list[str], dict[int, list[tuple[str, str]]]]:
    table = read_table(name, (FILES / name).read_bytes())
    results = validate_rows(table, table.column_mapping())
    assert [r.errors for r in results] == [[]] * len(ROWS)
    return [r.values["address"] for r in results], {r.number: r.warnings for r in results}


EXPECTED = [
    "VIA PIAVE,15, 31040 VOLPAGO DEL MONTELLO",
    "Löbtauer Straße 12, 01067 Dresden",
    "Via Tiburtina 1020, 00156 Roma",
    "Carrer de Pujades 77, 08005 Barcelona",
    "No. 10 Off Airport Road, 11450 Katunayake",
    "5510 S. Soto Street Unit A, 90058 Vernon",
    "12 Mill St, 02128 Boston",
    "Plot 12 Road 3, 1700 Gazipur",
    "Industrieweg 4, 7511 Enschede",
]


@pytest.mark.parametrize(
    "name", ["postcodes.xlsx", "postcodes.ods", "postcodes.xls", "postcodes.csv"]
)
def test_a_postcode_that_lost_its_zero_is_read_with_it(name: str) -> None:
    addresses, warnings = _addresses(name)
    assert addresses == EXPECTED
    assert warnings[3] == [
        (
            "Postcode",
            f"'1067' has 4 digits, a postcode in DE has 5: read as '01067' ({RESTORED}; "
            "format the column as text)",
        )
    ]
    assert "read as '00156'" in warnings[4][0][1] and "read as '02128'" in warnings[8][0][1]
    # Complete postcodes, and Bangladesh's (never with a 0 in front), say nothing.
    assert warnings[2] == warnings[6] == warnings[7] == warnings[9] == []


def test_a_zero_padded_cell_is_read_as_shown() -> None:
    """Excel's "Zip Code" format shows 8005 as 08005: the .xlsx is read as shown, and
    the CSV saved from it holds what was shown. Neither needs a warning."""
    for name in ("postcodes.xlsx", "postcodes.csv"):
        table = read_table(name, (FILES / name).read_bytes())
        rows = dict(table.rows)
        assert rows[5][2] == "08005" and rows[10][5] == "01234567", name
        assert read_table(name, (FILES / name).read_bytes(), head=50).rows == table.rows
        assert _addresses(name)[1][5] == []


def test_ods_and_xls_cells_are_restored_by_the_country_rule() -> None:
    """calamine gives an .ods or .xls cell's number, not its format: the Spanish
    postcode comes back by the country rule, with the warning; the registry number
    (no country rule for it) keeps what the cell holds."""
    for name in ("postcodes.ods", "postcodes.xls"):
        table = read_table(name, (FILES / name).read_bytes())
        assert dict(table.rows)[10][5] == "1234567"
        assert "read as '08005'" in _addresses(name)[1][5][0][1]


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("1067", "DE", "01067"),
        ("184", "IT", "00184"),
        ("1310100", "BR", "01310-100"),
        ("600001", "JP", "060-0001"),
        ("1", "PL", "1"),  # too short to be a postcode that lost its zeros
        ("1207", "BD", "1207"),  # Bangladesh: no postcode starts with 0
        ("01067", "DE", "01067"),
        ("1015 CX", "NL", "1015 CX"),
        ("1067", None, "1067"),  # country unknown: the row's own error says so
    ],
)
def test_restore(text: str, country: str | None, expected: str) -> None:
    assert postcodes.restore(text, country)[0] == expected


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=9), st.sampled_from(sorted(postcodes.FIXED))
)
def test_a_restored_postcode_has_the_countrys_shape(text: str, country: str) -> None:
    restored, warning = postcodes.restore(text, country)
    pattern = postcodes.FIXED[country]
    if restored != text:
        assert len(restored) == len(pattern) and warning
        assert all((c == "0") == d.isdigit() for c, d in zip(pattern, restored, strict=True))
        assert restored.replace("-", "").lstrip("0") == text.lstrip("0")
    assert postcodes.restore(restored, country)[0] == restored  # idempotent


def test_the_warnings_are_shown_in_dutch() -> None:
    messages = [
        postcodes.restore("1067", "DE")[1],
        postcodes.restore("10", "IT")[1],
    ]
    with translation.override("nl"):
        shown = [row_messages.in_language(m or "") for m in messages]
    assert shown == [
        "'1067' heeft 4 cijfers, een postcode in DE heeft er 5: gelezen als '01067' (een "
        "spreadsheet die postcodes als getallen bewaart, laat de nullen vooraan weg; maak "
        "van de kolom een tekstkolom)",
        "'10' heeft 2 cijfers, een postcode in IT heeft er 5; gelaten zoals geschreven, "
        "controleer hem",
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice makes the files")
@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls", "csv"])
def test_libreoffice_makes_the_committed_files_again(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "postcodes.xlsx"
    source.write_bytes(_source())
    if kind == "csv":  # from LibreOffice's own .xlsx, as the committed CSV was
        (tmp_path / "saved").mkdir()
        saved = tmp_path / "saved" / "postcodes.xlsx"
        saved.write_bytes(libreoffice_convert(tmp_path / "saved", source, "xlsx"))
        made = libreoffice_convert(
            tmp_path, saved, "csv:Text - txt - csv (StarCalc):59,34,76", "csv"
        )
    else:
        made = libreoffice_convert(tmp_path, source, kind)
    name = f"postcodes.{kind}"
    assert _rows(name, made) == _rows(name, (FILES / name).read_bytes())


def _rows(name: str, data: bytes) -> object:
    table = read_table(name, data)
    return table.header, table.rows
