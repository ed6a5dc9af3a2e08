"""What a workbook does not say aloud, said on the row: an identifier that an .ods
or .xls holds as a number (its zeros may be gone: the format of the cell is not
read there), a column hidden in an .xlsx, and a formula where the coordinates go
(the coordinates are left out, the location is kept)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from imvo.supplychain import row_messages
from imvo.supplychain.parsing import read_table, validate_rows

FILES = Path(__file__).parent / "files"


def _results(name: str, data: bytes) -> list:
    table = read_table(name, data)
    return validate_rows(table, table.column_mapping())


@pytest.mark.parametrize("name", ["postcodes.ods", "postcodes.xls"])
def test_an_identifier_held_as_a_number_in_ods_or_xls_is_warned_about(name: str) -> None:
    # Weverij Twente's KvK number was typed as 01234567 in a number cell
    # (test_postcodes.py made the files); .ods and .xls give 1234567.
    results = _results(name, (FILES / name).read_bytes())
    weverij = next(r for r in results if r.values["name"] == "Weverij Twente BV")
    assert weverij.values["identifier"] == "1234567"
    assert [(c, m) for c, m in weverij.warnings if c == "KvK"] == [
        (
            "KvK",
            "'1234567' is stored as a number in the workbook, and this file type does not "
            "say how it was shown: if it was written with leading zeros (such as 01234567), "
            "they are lost; format the column as text and upload again. Read as written",
        )
    ]
    # Rows without an identifier get no such warning.
    assert not any(
        "stored as a number" in m for r in results if r is not weverij for _c, m in r.warnings
    )


def test_an_xlsx_identifier_is_read_as_shown_without_the_warning() -> None:
    results = _results("postcodes.xlsx", (FILES / "postcodes.xlsx").read_bytes())
    weverij = next(r for r in results if r.values["name"] == "Weverij Twente BV")
    assert weverij.values["identifier"] == "01234567"
    assert not any("stored as a number" in m for _c, m in weverij.warnings)


def test_a_csv_holds_no_number_cells() -> None:
    table = read_table("postcodes.csv", (FILES / "postcodes.csv").read_bytes())
    assert table.number_cells == set()  # a CSV holds text only


def _workbook_with_hidden_column() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Naam", "Adres", "Adres 2", "Land", "Notitie"])
    ws.append(["Dhaka Knit Composite Ltd", "Plot 12 Road 3", "Gazipur", "Bangladesh", "x"])
    ws.append(["Saigon Sewing JSC", "45 Tan Thuan Road", "", "Vietnam", "y"])
    ws.column_dimensions["C"].hidden = True  # read into the address: said
    ws.column_dimensions["E"].hidden = True  # no field is read from it: nothing to say
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HIDDEN_COLUMN = (
    "this column is hidden in the workbook; it is read and disclosed like the others: "
    "delete it from the file if it is not part of the list"
)


def test_a_hidden_column_of_an_xlsx_is_read_with_a_warning() -> None:
    first, second = _results("hidden-column.xlsx", _workbook_with_hidden_column())
    assert first.values["address"] == "Plot 12 Road 3, Gazipur"
    assert first.warnings == [("Adres 2", HIDDEN_COLUMN)]
    # The hidden cell is empty on the second row: nothing of it is disclosed.
    assert second.warnings == []
    assert first.valid and second.valid


def test_a_formula_where_the_coordinates_go_leaves_them_out_and_keeps_the_row() -> None:
    data = (
        b"name,address,country,coordinates\n"
        b'Miss Accessori,via venezia 99101 59103 montemurlo,IT,"=HYPERLINK(""http://x"",""y"")"\n'
        b'Formosa Textil,km 12 carretera norte managua,NI,"12.15, -86.2"\n'
    )
    first, second = _results("l.csv", data)
    assert first.errors == [] and first.valid
    assert (first.values["lat"], first.values["lng"]) == (None, None)
    assert first.warnings == [
        ("coordinates", 'contains a formula (=HYPERLINK("http://x","y")); coordinates left out')
    ]
    assert (second.values["lat"], second.values["lng"]) == (12.15, -86.2)


def test_the_new_messages_are_shown_in_dutch() -> None:
    messages = [
        HIDDEN_COLUMN,
        "contains a formula (=1+1); coordinates left out",
        "'1234567' is stored as a number in the workbook, and this file type does not say "
        "how it was shown: if it was written with leading zeros (such as 01234567), they "
        "are lost; format the column as text and upload again. Read as written",
    ]
    with translation.override("nl"):
        dutch = [row_messages.in_language(m) for m in messages]
    assert all(d != m for d, m in zip(dutch, messages, strict=True)), dutch
    assert "01234567" in dutch[2] and "=1+1" in dutch[1]
