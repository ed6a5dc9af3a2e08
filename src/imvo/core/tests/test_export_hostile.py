"""Formula injection through every export (docs/security.md, T13 and T38).

Full-width triggers (U+FF1D, U+FF0B, U+FF0D, U+FF20: = + - @) are neutralised like the ASCII ones, the xlsx
"about" sheet too, and no module writes a spreadsheet or CSV file for people
to open except through `imvo.core.exports`.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from imvo.core.exports import FULL_WIDTH, neutralise, table_response, to_xlsx_bytes

SRC = Path(__file__).resolve().parents[2]

EQ, PLUS, MINUS, AT = FULL_WIDTH
FULL_WIDTH_CELLS = [
    EQ + 'HYPERLINK("http://evil","x")',
    PLUS + "31 20 123",
    MINUS + "2" + PLUS + "3",
    AT + "SUM(A1)",
    "Mill;" + EQ + "cmd|' /C calc'!A0",
    ' "' + EQ + "1+1",
]


@pytest.mark.parametrize("text", FULL_WIDTH_CELLS)
def test_full_width_triggers_are_neutralised_in_csv_and_xlsx(text: str) -> None:
    """An East-Asian input method types a full-width = for =; Excel's IME takes a
    leading one for a formula. Before, the cell went out as it was."""
    body = table_response("csv", "x", ["name"], [[text]]).content.decode("utf-8-sig")
    cell = list(csv.reader(io.StringIO(body)))[1][0]
    assert cell == neutralise(text) and cell != text
    trigger = next(c for c in text if c in FULL_WIDTH)
    assert "'" + trigger in cell  # the apostrophe stands before the trigger
    sheet = CalamineWorkbook.from_filelike(
        io.BytesIO(table_response("xlsx", "x", ["name"], [[text]]).content)
    ).get_sheet_by_name("data")
    assert sheet.to_python()[1][0] == cell


def test_the_about_sheet_and_the_sheet_name_are_safe() -> None:
    """The notes of an xlsx export (its meta: a title, a filter the user typed) were
    written as they came; a sheet name with a character Excel refuses was a 500."""
    body = to_xlsx_bytes(["a"], [["b"]], sheet="Risks: 2025/[draft]?", notes=["=1+1", AT + "x"])
    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    assert book.sheet_names == ["Risks  2025  draft", "about"]
    assert [r[0] for r in book.get_sheet_by_name("about").to_python()] == ["'=1+1", "'" + AT + "x"]


# Modules that write CSV or spreadsheet files without `core.exports`, and why that is safe.
ALLOWED_WRITERS = {
    "core/exports.py": "the one place that neutralises",
    "supplychain/management/commands/match.py": "every cell through neutralise (T23)",
    "risk/bundle.py": "the package's own indicator data files, never a download",
    "supplychain/demo.py": "a demo supplier list uploaded as a member would (input, not export)",
}
WRITERS = {"writer", "DictWriter", "Workbook", "write_csv", "write_excel", "to_csv", "to_excel"}


def test_no_module_writes_a_table_for_people_past_core_exports() -> None:
    """Every download, report pack and command output of a table goes through
    `core.exports` (neutralise). A new writer elsewhere fails here with its place."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in rel or rel.startswith("tests/") or "/migrations/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITERS
                and rel not in ALLOWED_WRITERS
            ):
                found.append(f"{rel}:{node.lineno} {node.func.attr}")
    assert found == []
    # The list of exceptions is not stale.
    for rel in ALLOWED_WRITERS:
        assert (SRC / rel).is_file(), rel
