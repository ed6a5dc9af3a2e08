"""Readers for the publishers' own indicator formats.

Each reader takes a file as the publisher distributes it and returns plain
records: (indicator code, ISO 3166-1 alpha-2 country, value, raw text) for
country indicators, (country, good, child labour, forced labour) for the ILAB
goods list. They raise `ImportFormatError` naming the file, row and column
when the file is not what it claims to be. No database here: the same readers
feed `imvo risk import` and the bundled table (`imvo risk bundle`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from imvo.core.countries import normalise_country as country_code
from imvo.core.errors import DomainError


class ImportFormatError(DomainError):
    """An indicator file is not in the publisher's format; the message says where and why."""


@dataclass(frozen=True)
class SourceInfo:
    code: str
    name: str
    publisher: str
    licence: str
    url: str


SOURCES: dict[str, SourceInfo] = {
    "wgi": SourceInfo(
        "wgi",
        "Worldwide Governance Indicators",
        "World Bank",
        "CC BY 4.0",
        "https://www.govindicators.org",
    ),
    "ituc": SourceInfo(
        "ituc",
        "ITUC Global Rights Index",
        "International Trade Union Confederation",
        "Published ratings, cited with attribution (hand-compiled copy: check against the report)",
        "https://www.globalrightsindex.org",
    ),
    "ilab": SourceInfo(
        "ilab",
        "List of Goods Produced by Child Labor or Forced Labor",
        "US Department of Labor, Bureau of International Labor Affairs (ILAB)",
        "US Government work, public domain",
        "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
    ),
}


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")  # pragma: no cover - latin-1 decodes anything


def edition_from_name(path: Path) -> int | None:
    """The last 4-digit year in a file name ('ituc_global_rights_index_2024.json' -> 2024)."""
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", path.name)
    return int(years[-1]) if years else None


def _edition(path: Path, edition: int | None) -> int:
    """The edition year given, or else the one in the file's name (refused when it has none)."""
    edition = edition or edition_from_name(path)
    if edition is None:
        raise ImportFormatError(
            f"{path.name}: cannot tell the edition year from the file name; pass --edition YEAR."
        )
    return edition


WGI_CODES = {
    "VA": "wgi.va",
    "PV": "wgi.pv",
    "GE": "wgi.ge",
    "RQ": "wgi.rq",
    "RL": "wgi.rl",
    "CC": "wgi.cc",
}


@dataclass
class Parsed:
    """What a reader found: values, goods, the edition year, and rows it skipped with why."""

    source: str
    edition: int
    values: list[tuple[str, str, float, str]]  # indicator, country, value, raw
    goods: list[tuple[str, str, bool, bool]]  # country, good, child, forced
    skipped: list[str]


def read_wgi(path: Path, edition: int | None = None) -> Parsed:
    """World Bank WGI in the Bank's wide CSV (one column per year): percentile ranks of the edition year.

    The edition is the latest year column unless given. A country without a value
    that year is left out (not guessed from earlier years).
    """
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"{path.name}: the file is empty.") from None
    header = [h.strip() for h in header]
    need = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    missing = [n for n in need if n not in header]
    if missing:
        raise ImportFormatError(
            f"{path.name}: row 1 lacks the column(s) {', '.join(missing)}; this is not the "
            "World Bank WGI CSV layout (Country Name, Country Code, Indicator Name, "
            "Indicator Code, then one column per year)."
        )
    year_cols = {int(h): i for i, h in enumerate(header) if re.fullmatch(r"(19|20)\d\d", h)}
    if not year_cols:
        raise ImportFormatError(f"{path.name}: row 1 has no year columns (1996, 1998, ...).")
    i_code, i_ind = header.index("Country Code"), header.index("Indicator Code")
    body = list(reader)
    if edition is None:
        # The newest year that has percentile ranks: a fresh download may end in an empty column.
        filled = [
            y
            for y, c in year_cols.items()
            if any(
                len(r) > max(c, i_ind)
                and r[i_ind].strip().endswith(".PER.RNK")
                and r[c].strip() not in ("", "..")
                for r in body
            )
        ]
        if not filled:
            raise ImportFormatError(
                f"{path.name}: no percentile ranks (*.PER.RNK) in any year column."
            )
        edition = max(filled)
    year = edition
    if year not in year_cols:
        raise ImportFormatError(f"{path.name}: there is no column for the year {year}.")
    col = year_cols[year]
    values: list[tuple[str, str, float, str]] = []
    skipped: list[str] = []
    for rowno, row in enumerate(body, start=2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) <= max(col, i_ind):
            raise ImportFormatError(
                f"{path.name}: row {rowno} has {len(row)} columns, expected {len(header)}."
            )
        ind = row[i_ind].strip()
        m = re.fullmatch(r"([A-Z]{2})\.PER\.RNK", ind)
        if not m or m.group(1) not in WGI_CODES:
            continue
        raw = row[col].strip()
        if raw in ("", ".."):
            continue
        cc = country_code(row[i_code].strip())
        if cc is None:
            skipped.append(
                f"row {rowno}: country code {row[i_code].strip()!r} is not an ISO country"
            )
            continue
        try:
            v = float(raw)
        except ValueError:
            raise ImportFormatError(
                f"{path.name}: row {rowno}, column {year}: {raw!r} is not a number."
            ) from None
        if not 0 <= v <= 100:
            raise ImportFormatError(
                f"{path.name}: row {rowno}, column {year}: percentile rank {v} is outside 0..100."
            )
        values.append((WGI_CODES[m.group(1)], cc, v, raw))
    if not values:
        raise ImportFormatError(f"{path.name}: no percentile ranks (*.PER.RNK) found for {year}.")
    return Parsed("wgi", year, values, [], skipped)


def read_ituc(path: Path, edition: int | None = None) -> Parsed:
    """ITUC Global Rights Index as JSON: {ISO3: {"rating": 1..5 or 5.5 (5+), "category": str}}."""
    edition = _edition(path, edition)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as e:
        raise ImportFormatError(
            f"{path.name}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})."
        ) from None
    if not isinstance(data, dict):
        raise ImportFormatError(f"{path.name}: expected an object of ISO3 code -> rating.")
    values: list[tuple[str, str, float, str]] = []
    skipped: list[str] = []
    for key, entry in data.items():
        cc = country_code(key)
        if cc is None:
            skipped.append(f"{key!r}: not an ISO country code")
            continue
        rating = entry.get("rating") if isinstance(entry, dict) else entry
        if isinstance(rating, str):
            rating = 5.5 if rating.strip() == "5+" else rating
        try:
            r = float(rating)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ImportFormatError(
                f"{path.name}: {key}: rating {rating!r} is not 1..5 or 5+."
            ) from None
        if r not in (1, 2, 3, 4, 5, 5.5):
            raise ImportFormatError(f"{path.name}: {key}: rating {r} is not 1..5 or 5+ (5.5).")
        cat = entry.get("category", "") if isinstance(entry, dict) else ""
        values.append(
            ("ituc.rating", cc, r, f"{'5+' if r == 5.5 else int(r)} ({cat})" if cat else str(r))
        )
    if not values:
        raise ImportFormatError(f"{path.name}: no ratings found.")
    return Parsed("ituc", edition, values, [], skipped)


def _ilab_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xls", ".ods", ".xlsm"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
        except Exception as e:  # calamine raises its own error types
            raise ImportFormatError(f"{path.name}: cannot read the workbook ({e}).") from None
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python()
            if rows:
                return [["" if c is None else str(c) for c in r] for r in rows]
        raise ImportFormatError(f"{path.name}: every sheet is empty.")
    return list(csv.reader(io.StringIO(_read_text(path))))


def read_ilab(path: Path, edition: int | None = None) -> Parsed:
    """ILAB List of Goods (CSV or the Excel workbook): Country, Good, Child Labor, Forced Labor ('X' = listed)."""
    edition = _edition(path, edition)
    rows = _ilab_rows(path)
    if not rows:
        raise ImportFormatError(f"{path.name}: the file is empty.")
    header = [h.strip().lower() for h in rows[0]]
    cols = {}
    for want in ("country", "good", "child labor", "forced labor"):
        if want not in header:
            raise ImportFormatError(
                f"{path.name}: row 1 lacks the column {want.title()!r}; expected Country, Good, "
                "Child Labor, Forced Labor."
            )
        cols[want] = header.index(want)
    goods: list[tuple[str, str, bool, bool]] = []
    skipped: list[str] = []
    for rowno, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        country, good = row[cols["country"]].strip(), row[cols["good"]].strip()
        if not country and not good:
            continue
        if not good:
            raise ImportFormatError(f"{path.name}: row {rowno}, column Good: empty.")
        cc = country_code(country)
        if cc is None:
            skipped.append(f"row {rowno}: country {country!r} not recognised")
            continue
        child = row[cols["child labor"]].strip().upper() == "X"
        forced = row[cols["forced labor"]].strip().upper() == "X"
        if child or forced:
            goods.append((cc, good, child, forced))
    if not goods:
        raise ImportFormatError(f"{path.name}: no listed goods found.")
    # Country-level counts feed the country indicators; the goods feed product risk.
    counts: dict[tuple[str, str], int] = {}
    for cc, _g, child, forced in goods:
        if child:
            counts[("ilab.child", cc)] = counts.get(("ilab.child", cc), 0) + 1
        if forced:
            counts[("ilab.forced", cc)] = counts.get(("ilab.forced", cc), 0) + 1
    values = [(ind, cc, float(n), f"{n} goods") for (ind, cc), n in sorted(counts.items())]
    return Parsed("ilab", edition, values, goods, skipped)


READERS = {"wgi": read_wgi, "ituc": read_ituc, "ilab": read_ilab}


def read_source(source: str, path: Path, edition: int | None = None) -> Parsed:
    """Read one publisher file; `source` is wgi, ituc or ilab."""
    if source not in READERS:
        raise ImportFormatError(
            f"Unknown source {source!r}: choose one of {', '.join(sorted(READERS))}."
        )
    if not path.exists():
        raise ImportFormatError(f"{path}: no such file.")
    if path.is_dir():
        raise ImportFormatError(f"{path}: is a folder, not a file.")
    return READERS[source](path, edition)
