"""Benchmark: risk scan of 1,000,000 supplier rows across all themes.

Prints the vectorised (polars) scan's time and peak memory for 1,000,000 rows x 12
themes, and, in the same run, the straightforward row-by-row implementation
(`imvo.risk.scan.scan_row_by_row`) timed on a subset and EXTRAPOLATED linearly to
1,000,000 rows, with the ratio. Both use the bundled indicator data, so no database
is needed. Targets (issue 4): < 10 s, peak < 4 GB.

    .venv/bin/python benchmarks/bench_risk_scan.py [--rows 1000000] [--subset 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from harness import peak_mb

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
os.environ.setdefault("IMVO_TESTING", "1")

import django

django.setup()

import polars as pl  # noqa: E402

from imvo.risk import reference as ref  # noqa: E402
from imvo.risk.scan import (  # noqa: E402
    build_model,
    bundled_tables,
    heatmap,
    prepare_rows,
    scan_frame,
    scan_row_by_row,
    theme_summary,
)

# Country spellings as they come in real lists: names, upper case, codes, a few unknowns.
COUNTRIES = [
    "China",
    "CHINA",
    "CN",
    "Bangladesh",
    "BANGLADESH",
    "BD",
    "India",
    "IN",
    "Viet Nam",
    "Vietnam",
    "VN",
    "Turkey",
    "TR",
    "Pakistan",
    "PK",
    "Cambodia",
    "KH",
    "Indonesia",
    "ID",
    "Myanmar",
    "Burma",
    "Portugal",
    "PT",
    "Italy",
    "Romania",
    "Tunisia",
    "Morocco",
    "Ethiopia",
    "Sri Lanka",
    "Ghana",
    "Cote d'Ivoire",
    "Brazil",
    "Peru",
    "Kenya",
    "Colombia",
    "Ecuador",
    "Netherlands",
    "Germany",
    "Mexico",
    "Egypt",
    "Thailand",
    "Philippines",
    "DRC",
    "Uzbekistan",
    "Atlantis",
    "",
]
SECTORS = [
    "Apparel",
    "Footwear",
    "Textiles",
    "Garments",
    "Gold",
    "Gold refinery",
    "Cocoa",
    "Coffee",
    "Spices",
    "Granite",
    "Marble",
    "Steel",
    "Cobalt",
    "Cut flowers",
    "Roses",
    "Toys",
    "Electronics",
    None,
]


def synthetic(n: int, seed: int = 4) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row_id": pl.int_range(1, n + 1, eager=True),
            "country": pl.Series(COUNTRIES).sample(n, with_replacement=True, seed=seed),
            "sector": pl.Series(SECTORS, dtype=pl.Utf8).sample(
                n, with_replacement=True, seed=seed + 1
            ),
            "workers": pl.Series([None, 50, 200, 800, 2500], dtype=pl.Int64).sample(
                n, with_replacement=True, seed=seed + 2
            ),
        }
    )


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--subset", type=int, default=20_000)
    a = p.parse_args()
    model = build_model(bundled_tables())
    df = synthetic(a.rows)
    print(
        f"input: {a.rows:,} synthetic supplier rows, {df['country'].n_unique()} country spellings, "
        f"{len(ref.THEME_CODES)} themes; peak RSS after generating input {peak_mb():,.0f} MB"
    )

    t0 = time.perf_counter()
    result = scan_frame(model, prepare_rows(df, model))
    fast = time.perf_counter() - t0
    peak = peak_mb()
    assert result.scores.height == a.rows * len(ref.THEME_CODES)
    print(
        f"vectorised (polars): {fast:.2f} s for {a.rows:,} rows -> {result.scores.height:,} row-theme scores; "
        f"peak RSS {peak:,.0f} MB"
    )

    t0 = time.perf_counter()
    themes = theme_summary(result)
    heat = heatmap(result)
    agg = time.perf_counter() - t0
    print(
        f"aggregates (theme top list + country x theme heatmap): {agg:.2f} s; "
        f"top theme {themes[0]['theme']} max {themes[0]['max_score']}; heatmap {len(heat['rows'])} countries"
    )

    records = df.head(a.subset).to_dicts()
    t0 = time.perf_counter()
    slow_out = scan_row_by_row(model, records)
    slow = time.perf_counter() - t0
    extrapolated = slow * a.rows / a.subset
    print(
        f"row-by-row (baseline): {slow:.2f} s for a {a.subset:,}-row subset; "
        f"EXTRAPOLATED to {a.rows:,} rows: {extrapolated:.1f} s"
    )

    # Same answers on the subset.
    sub = result.scores.filter(pl.col("row_id") <= a.subset)
    fast_set = sorted(
        (r, str(t), s) for r, t, s in sub.select("row_id", "theme", "score").iter_rows()
    )
    assert fast_set == sorted(slow_out), "vectorised and row-by-row scans disagree"
    print("check: vectorised == row-by-row on the subset")
    print(f"ratio: row-by-row (extrapolated) / vectorised = {extrapolated / fast:.1f}x")
    ok = fast < 10 and peak < 4096
    print(f"targets: < 10 s and < 4 GB peak: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
