"""Safe tabular exports (CSV, XLSX, JSON) shared by every app.

Cells whose text starts with =, +, -, @ (or their full-width forms U+FF1D,
U+FF0B, U+FF0D, U+FF20),
a tab or a carriage return are
prefixed with an apostrophe so no spreadsheet program evaluates them
(OWASP "CSV injection"). So is every such character that follows a
delimiter (`,` `;` tab or a line break) inside a cell: a spreadsheet in a
locale that splits on another delimiter than the file uses (Excel in Dutch
splits on `;`), or one that ignores quotes, would otherwise start a new cell
with it. CSV fields are all quoted. Numbers stay numbers. JSON is for
programs and keeps values exactly as stored.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpResponse

# The full-width forms (U+FF1D = U+FF0B + U+FF0D - U+FF20 @) as well: an East-Asian
# input method types them,
# and a spreadsheet program set to such a locale may take them for the ASCII ones
# (Excel's IME converts a typed full-width = at the start of a cell into a formula).
FULL_WIDTH = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", *FULL_WIDTH)
DELIMITERS = (",", ";", "\t", "\r", "\n")
# A trigger after a delimiter (spaces between are skipped by some programs), or
# after a double quote (a program that splits naively then strips quotes).
_AFTER_DELIMITER = re.compile(r"([,;\t\r\n\"][ \t\"]*)([=+\-@\uff1d\uff0b\uff0d\uff20])")
_FORMULA = re.compile(r"(?:^|[,;\t\r\n])[ \t]*=")


def neutralise(value: Any) -> Any:
    """Make one cell value safe to open in a spreadsheet, whatever delimiter the
    spreadsheet program splits on."""
    if not isinstance(value, str):
        return value
    value = _AFTER_DELIMITER.sub(r"\1'\2", value)
    # Programs that strip spaces and quotes from a cell see " =1" as "=1".
    if value.lstrip(' \t"').startswith(DANGEROUS_PREFIXES) or value.startswith(DANGEROUS_PREFIXES):
        value = "'" + value
    return value


def looks_like_formula(text: str) -> bool:
    """An '=' at the start of the text or after a delimiter: what an upload check
    refuses (a formula nobody computed, or one smuggled in after a `;`)."""
    return bool(_FORMULA.search(text))


def to_csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    # BOM so Excel opens UTF-8 correctly.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet: str = "data",
    notes: Sequence[str] = (),
    created: datetime | None = None,
) -> bytes:
    """`created` fixes the workbook's creation date (else now): a file made again from
    the same data is then the same bytes (reproducible exports)."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    if created is not None:
        book.set_properties({"created": created})
    ws = book.add_worksheet(_sheet_name(sheet))
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, [neutralise(h) for h in header], bold)
    r = 0
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            v = neutralise(v)
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write(r, c, v)
    if notes:
        about = book.add_worksheet("about")
        for i, line in enumerate(notes):
            about.write_string(i, 0, neutralise(str(line)))
    book.close()
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, not starting or ending with
    an apostrophe, at most 31 characters (xlsxwriter refuses the others: a 500)."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip("'")[:31].strip()
    return clean or "data"


def to_json_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], meta: dict[str, Any] | None = None
) -> bytes:
    data = [dict(zip(header, row, strict=False)) for row in rows]
    return json.dumps({"meta": meta or {}, "data": data}, default=str, ensure_ascii=False).encode()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def table_response(
    fmt: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    meta: dict[str, Any] | None = None,
    labels: Sequence[str] | None = None,
) -> HttpResponse:
    """An HTTP download of a table in csv, xlsx or json.

    `header` holds the columns' stable keys; `labels`, if given, their names in the
    reader's language, which head the CSV and Excel files people open (neutralised
    like every cell). JSON, for programs, keeps the keys whatever the language."""
    rows = list(rows)
    shown = header if labels is None else labels
    if fmt == "xlsx":
        notes = [f"{k}: {v}" for k, v in (meta or {}).items()]
        body = to_xlsx_bytes(shown, rows, notes=notes)
    elif fmt == "json":
        body = to_json_bytes(header, rows, meta)
    else:
        fmt = "csv"
        body = to_csv_bytes(shown, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
