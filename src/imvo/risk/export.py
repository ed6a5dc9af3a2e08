"""Scan results as tables, files and text: shared by `imvo scan`, the pages and the API.

Every export carries the attribution of its indicator sources.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from imvo.risk import reference as ref
from imvo.risk.scan import ScanResult, reason_text, theme_summary

ROW_HEADER = [
    "row",
    "name",
    "country as given",
    "country",
    "sector",
    "theme",
    "score",
    "level",
    "reasons",
    "sources",
]


def row_lines(result: ScanResult) -> list[list[Any]]:
    """One line per row and theme, highest score first, with the reasons written out."""
    reasons: dict[tuple[Any, str, str, str], str] = {
        (c["country"], c["sector"], c["good"], c["theme"]): reason_text(c["reasons"])
        for c in result.combos
    }
    sources = " | ".join(result.attribution)
    s = (
        result.scores.with_columns(pl.col("theme").cast(pl.Utf8), pl.col("level").cast(pl.Utf8))
        .join(
            result.rows.select("row_id", "name", "country_raw", "country", "sector", "good"),
            on="row_id",
            how="left",
        )
        .sort(["score", "row_id"], descending=[True, False])
    )
    return [
        [
            r["row_id"],
            r["name"],
            r["country_raw"],
            r["country"],
            r["sector"],
            r["theme"],
            r["score"],
            r["level"],
            reasons.get((r["country"], r["sector"], r["good"], r["theme"]), ""),
            sources,
        ]
        for r in s.iter_rows(named=True)
    ]


def meta(result: ScanResult, file_name: str = "") -> dict[str, Any]:
    return {
        "file": file_name,
        "rows": result.rows.height,
        "countries": result.rows.get_column("country").drop_nulls().n_unique()
        if result.rows.height
        else 0,
        "unrecognised_countries": [
            {"row": r, "country": c}
            for r, c in result.unresolved.select("row_id", "country_raw").iter_rows()
        ],
        "method": "inherent risk 0..100 = 100 x country risk for the theme x sector weight; "
        f"high >= {ref.HIGH}, medium >= {ref.MEDIUM}",
        "sources": result.attribution,
    }


def as_text(result: ScanResult, file_name: str = "", per_theme: int = 3) -> str:
    """A readable report: themes by priority, what drives each, and where the numbers come from."""
    out = io.StringIO()
    m = meta(result, file_name)
    out.write(
        f"Risk scan of {file_name or 'supplier rows'}: {m['rows']} rows, {m['countries']} countries\n"
    )
    if m["unrecognised_countries"]:
        out.write(
            f"{len(m['unrecognised_countries'])} row(s) with an unrecognised country (scored as unknown):\n"
        )
        for u in m["unrecognised_countries"][:10]:
            out.write(f"  row {u['row']}: {u['country']!r}\n")
    by_sector = result.rows.group_by("sector").len().sort("len", descending=True)
    out.write("Sectors: " + ", ".join(f"{s} ({n})" for s, n in by_sector.iter_rows()) + "\n\n")
    out.write("Risks per theme, highest first (inherent risk 0..100; high >= 50, medium >= 25)\n")
    out.write("=" * 78 + "\n")
    for i, t in enumerate(theme_summary(result), start=1):
        out.write(
            f"{i:2}. {t['label']} [{t['level'].upper()}] max {t['max_score']:.1f}, mean {t['mean_score']:.1f}; "
            f"rows high {t['high']}, medium {t['medium']}, low {t['low']}\n"
        )
        for d in t["drivers"][:per_theme]:
            out.write(
                f"    {d['country'] or '??'} / {d['sector']}{' / ' + d['good'] if d['good'] else ''}: "
                f"{d['score']:.1f} ({d['rows']} rows)\n"
            )
            weight = ref.SECTOR_PROFILES[d["sector"]]["weights"][t["theme"]]
            for r in d["reasons"]:
                src = f" - {r['source']} {r['edition']}" if r.get("source") else ""
                out.write(f"      * {r['label']}: {r['shown']}{src}\n")
            out.write(f"      * sector profile {d['sector']}: weight {weight}\n")
    out.write("\nSources\n")
    for a in result.attribution:
        out.write(f"  - {a}\n")
    out.write("Sector weights and the method: `docs/risk.md` and the page /risk/method/.\n")
    return out.getvalue()
