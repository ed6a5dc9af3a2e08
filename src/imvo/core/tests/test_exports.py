"""Exports never hand a spreadsheet program a formula to run."""

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from imvo.core.exports import (
    DANGEROUS_PREFIXES,
    DELIMITERS,
    looks_like_formula,
    neutralise,
    table_response,
)

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
    assert out.replace("'", "") == text.replace("'", "")  # nothing lost, only apostrophes added


TRIGGERS = ["=", "+", "-", "@"]
cell_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
        st.sampled_from([*DELIMITERS, *TRIGGERS, " ", '"', "'", "cmd|' /C calc'!A0"]),
    ),
    max_size=12,
).map("".join)


def _excel_cells(line: str, delimiter: str) -> list[str]:
    """How a spreadsheet that ignores quotes, or splits on another delimiter than the
    file's, cuts a line: naively, then strips spaces and one leading quote."""
    return [piece.lstrip(' \t"') for piece in line.split(delimiter)]


@given(cell_text, st.sampled_from(list(DELIMITERS)))
def test_no_delimiter_in_any_locale_starts_a_formula(text, delimiter):
    """Whatever delimiter a spreadsheet splits the CSV on, no cell it makes starts with
    a formula trigger (Excel in Dutch splits a comma-separated file on ';')."""
    body = table_response("csv", "x", ["name", "n"], [[text, 3]]).content.decode("utf-8-sig")
    for piece in _excel_cells(body, delimiter):
        assert not piece.startswith(tuple(TRIGGERS)), (text, delimiter, piece)
    # A reader that honours the quoting gets the cell back, apostrophes aside.
    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[0].replace("'", "") == text.replace("'", "") and row[1] == "3"


def test_mill_semicolon_formula_is_neutralised_and_fields_quoted():
    name = "Mill;=cmd|' /C calc'!A0;"
    body = table_response("csv", "x", ["name", "country"], [[name, "BD"]]).content
    line = body.decode("utf-8-sig").splitlines()[1]
    assert line == '"Mill;\'=cmd|\' /C calc\'!A0;","BD"'
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(table_response("xlsx", "x", ["name"], [[name]]).content)
    )
    assert book.get_sheet_by_name("data").to_python()[1][0] == "Mill;'=cmd|' /C calc'!A0;"


def test_upload_check_finds_a_formula_after_a_delimiter():
    assert looks_like_formula("=SUM(A1)")
    assert looks_like_formula("Mill;=cmd|' /C calc'!A0;")
    assert looks_like_formula("Mill, =1+1") and looks_like_formula("a\t=1")
    assert not looks_like_formula("Mill = big") and not looks_like_formula("Rahim Knit, Ltd")


def test_spaces_or_quotes_before_a_trigger_at_the_start_are_neutralised():
    """Found by the hypothesis test: ' =1' is '=1' to a program that strips spaces."""
    for text in (" =1", '" =1', "\t =1", ' "@SUM(A1)', "  -2+3"):
        safe = neutralise(text)
        assert not safe.lstrip(' \t"').startswith(DANGEROUS_PREFIXES), (text, safe)
        assert safe.replace("'", "") == text
    assert neutralise(" plain") == " plain"


def test_labels_head_csv_and_xlsx_neutralised_and_json_keeps_the_keys():
    """Column names in the reader's language for the files people open; a translation
    that starts like a formula is neutralised as any cell; JSON keeps the stable keys."""
    labels = ["=Rang", "Land"]
    csv_body = table_response("csv", "t", ["rank", "country"], [[1, "BD"]], labels=labels)
    first = next(csv.reader(io.StringIO(csv_body.content.decode("utf-8-sig"))))
    assert first == ["'=Rang", "Land"]
    xlsx = table_response("xlsx", "t", ["rank", "country"], [[1, "BD"]], labels=labels)
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    assert book.get_sheet_by_index(0).to_python()[0] == ["'=Rang", "Land"]
    doc = json.loads(
        table_response("json", "t", ["rank", "country"], [[1, "BD"]], labels=labels).content
    )
    assert doc["data"] == [{"rank": 1, "country": "BD"}]
