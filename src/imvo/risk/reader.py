"""A small supplier-list reader for the offline scan (CSV in any common encoding, XLSX, ODS).

Interim: once the supplychain app's parser is merged, `imvo scan` should read
lists through it so the upload and the scan accept exactly the same files.
Columns are found by name (English and Dutch headers); country is required,
name, address, sector, product and workers are optional.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from imvo.core.errors import DomainError


class SupplierFileError(DomainError):
    """The supplier list cannot be read; the message names the file, row and column."""


HEADER_ALIASES = {
    "country": {"country", "land", "country code", "country_code", "countrycode", "country name"},
    "name": {
        "name",
        "naam",
        "facility",
        "facility name",
        "supplier",
        "supplier name",
        "leverancier",
    },
    "address": {"address", "adres", "facility address"},
    "sector": {"sector", "industry", "branche"},
    "product": {"product", "products", "product type", "product_type", "producten", "good"},
    "workers": {"workers", "number of workers", "number_of_workers", "employees", "werknemers"},
}
MAX_ROWS = 2_000_000


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    if best is None:
        raise SupplierFileError(f"{name}: the file is not text (nor an Excel/ODS workbook).")
    return raw.decode(best.encoding, errors="replace")


def _table(path: Path) -> list[list[str]]:
    name = path.name
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception as e:  # calamine has its own error classes
            raise SupplierFileError(f"{name}: cannot open the workbook ({e}).") from None
        for sheet in book.sheet_names:
            data = book.get_sheet_by_name(sheet)
            rows = data.to_python()
            if rows:
                # The range starts at the first used cell: pad so row numbers match the sheet's.
                first_row = (data.start or (0, 0))[0]
                return [[] for _ in range(first_row)] + [
                    ["" if c is None else str(c).strip() for c in r] for r in rows
                ]
        raise SupplierFileError(f"{name}: every sheet in the workbook is empty.")
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise SupplierFileError(f"{name}: this is a zip/Excel file; give it an .xlsx or .ods name.")
    text = _decode(raw, name)
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delim)]


def read_supplier_file(path: Path) -> list[dict[str, Any]]:
    """Rows of a supplier list as dicts (row_id = the row number in the file)."""
    if not path.exists():
        raise SupplierFileError(f"{path}: no such file.")
    if path.is_dir():
        raise SupplierFileError(f"{path}: is a folder, not a supplier list file.")
    table = _table(path)
    # Skip leading empty lines; the first non-empty line is the header.
    start = next((i for i, r in enumerate(table) if any(r)), None)
    if start is None:
        raise SupplierFileError(f"{path.name}: the file is empty.")
    header = [h.strip().lower().lstrip("\ufeff") for h in table[start]]
    cols: dict[str, int] = {}
    for key, names in HEADER_ALIASES.items():
        for i, h in enumerate(header):
            if h in names and key not in cols:
                cols[key] = i
    if "country" not in cols:
        raise SupplierFileError(
            f"{path.name}: row {start + 1} (the header) has no country column; found "
            f"{', '.join(repr(h) for h in header if h) or 'no names'}. Add a column named "
            "'country' (a name like 'China' or a code like 'CN')."
        )
    rows: list[dict[str, Any]] = []
    for i, r in enumerate(table[start + 1 :], start=start + 2):
        if not any(r):
            continue
        rec: dict[str, Any] = {"row_id": i}
        for key, c in cols.items():
            rec[key] = r[c] if c < len(r) and r[c] != "" else None
        if rec.get("workers") is not None:
            try:
                rec["workers"] = int(float(str(rec["workers"]).replace(",", "")))
            except ValueError:
                raise SupplierFileError(
                    f"{path.name}: row {i}, column {header[cols['workers']]!r}: "
                    f"{rec['workers']!r} is not a number of workers."
                ) from None
        rows.append(rec)
        if len(rows) > MAX_ROWS:
            raise SupplierFileError(f"{path.name}: more than {MAX_ROWS:,} rows; split the list.")
    if not rows:
        raise SupplierFileError(f"{path.name}: the header is there but no rows follow it.")
    return rows
