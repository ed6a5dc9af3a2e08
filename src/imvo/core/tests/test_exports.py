"""Exports never hand a spreadsheet program a formula to run."""

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from imvo.core.exports import DANGEROUS_PREFIXES, neutralise, table_response

ROWS = [
    [
        '=HYPERLINK("http://evil","x")',
        "+31 20 123",
        "-2+3",
        "@SUM(A1)",
        "\tTAB",
        "\rCR",
        "plain",
        42,
        -7.5,
        None,
    ]
]
HEADER = [f"c{i}" for i in range(len(ROWS[0]))]


def test_csv_cells_that_start_a_formula_are_neutralised():
    body = table_response("csv", "x", HEADER, ROWS).content.decode("utf-8-sig")
    row = next(r for i, r in enumerate(csv.reader(io.StringIO(body))) if i == 1)
    assert row[:6] == [
        '\'=HYPERLINK("http://evil","x")',
        "'+31 20 123",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
    ]
    assert row[6:9] == ["plain", "42", "-7.5"]


def test_xlsx_holds_text_not_formulas_and_numbers_stay_numbers():
    response = table_response("xlsx", "x", HEADER, ROWS, meta={"licence": "CC BY 4.0"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    data = book.get_sheet_by_name("data").to_python()
    assert data[1][0] == '\'=HYPERLINK("http://evil","x")'
    assert data[1][7] == 42 and data[1][8] == -7.5
    assert "about" in book.sheet_names
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'


def test_json_keeps_meta_and_exact_values():
    """JSON is read by programs, not spreadsheets: values stay exactly as stored."""
    data = json.loads(table_response("json", "x", HEADER, ROWS, meta={"source": "IMVO"}).content)
    assert data["meta"] == {"source": "IMVO"}
    assert data["data"][0]["c3"] == "@SUM(A1)"


@given(st.text())
def test_no_neutralised_text_starts_a_formula(text):
    out = neutralise(text)
    assert not out.startswith(DANGEROUS_PREFIXES)
    assert out.endswith(text)  # nothing is lost, at most an apostrophe in front
