"""Supplier-list files for the offline scan, read by the supply-chain parser.

`imvo scan` and the upload accept exactly the same files (CSV in any common
encoding and delimiter, XLSX, XLS, ODS) with the same limits and messages.
Columns are found by name (English and Dutch headers); for a scan only the
country is required; name, address, sector, product and workers are optional.
"""

from __future__ import annotations

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


def read_supplier_file(path: Path) -> list[dict[str, Any]]:
    """Rows of a supplier list as dicts (row_id = the row number in the file)."""
    if not path.exists():
        raise SupplierFileError(f"{path}: no such file.")
    if path.is_dir():
        raise SupplierFileError(f"{path}: is a folder, not a supplier list file.")
    from imvo.supplychain.seams import (
        MAX_CELL_CHARS,
        ParseError,
        read_table,
        recognise_headers,
    )

    try:
        table = read_table(path.name, path.read_bytes(), max_rows=MAX_ROWS)
    except ParseError as e:
        raise SupplierFileError(str(e)) from None
    header = [h.strip().lower().lstrip("\ufeff") for h in table.header]
    cols = {k: v for k, v in recognise_headers(table.header).items() if k in HEADER_ALIASES}
    for key, names in HEADER_ALIASES.items():
        for i, h in enumerate(header):
            if h in names and key not in cols:
                cols[key] = i
    if "country" not in cols:
        raise SupplierFileError(
            f"{path.name}: row {table.header_row} (the header) has no country column; found "
            f"{', '.join(repr(h) for h in header if h) or 'no names'}. Add a column named "
            "'country' (a name like 'China' or a code like 'CN')."
        )
    rows: list[dict[str, Any]] = []
    for i, r in table.rows:
        if not any(r):
            continue
        rec: dict[str, Any] = {"row_id": i}
        for key, c in cols.items():
            rec[key] = r[c] if c < len(r) and r[c] != "" else None
            if rec[key] is not None and len(rec[key]) > MAX_CELL_CHARS:
                raise SupplierFileError(
                    f"{path.name}: row {i}, column {table.header[c]!r}: {len(rec[key]):,} "
                    f"characters, at most {MAX_CELL_CHARS:,}."
                )
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
