"""Benchmark: drawing the report's charts and rendering the yearly report as PDF.

Figures printed:
- dashboard charts drawn cold (baseline: matplotlib on every visit) against the
  per-process cache the dashboards use;
- the whole report (HTML + PDF) for covenants of growing size, to show the time
  grows with the number of agreements, not faster.

No database is needed: report data are built as the services build them.
Run: .venv/bin/python benchmarks/bench_reporting.py
"""

from __future__ import annotations

import os
import time

from harness import best_of

os.environ.setdefault("IMVO_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")

import django

django.setup()

from django.utils import translation  # noqa: E402

from imvo.reporting import charts, render  # noqa: E402
from imvo.reporting.services import build  # noqa: E402


def report_data(agreements: int) -> dict:
    years = [str(y) for y in range(2021, 2026)]
    labels = [f"{i}. Agreement number {i} on due diligence" for i in range(1, agreements + 1)]
    rows = [
        [
            str(i),
            f"Agreement {i}",
            "KPI (%)",
            0.0,
            40.0 + i % 50,
            100.0,
            "2028-06-30",
            40,
            50,
            "On track",
        ]
        for i in range(1, agreements + 1)
    ]
    sections = [
        {
            "key": "agreements",
            "title": "Agreements and results",
            "text": "",
            "secretariat_text": "Text by the secretariat.",
            "figures": [{"label": "Agreements", "value": agreements, "unit": ""}],
            "tables": [{"caption": "KPIs", "header": [str(h) for h in range(10)], "rows": rows}],
            "charts": [
                {
                    "type": "bar",
                    "title": "Progress",
                    "labels": labels,
                    "series": [
                        {"name": "Progress", "values": [40 + i % 50 for i in range(agreements)]},
                        {"name": "Expected", "values": [50] * agreements},
                    ],
                },
                {
                    "type": "line",
                    "title": "Over the years",
                    "labels": years,
                    "series": [
                        {"name": f"KPI {i}", "values": [0, 10, 20, 30, 40 + i % 7]}
                        for i in range(min(agreements, 8))
                    ],
                },
                {
                    "type": "heatmap",
                    "title": "Risk by country and theme",
                    "rows": [f"C{i}" for i in range(12)],
                    "cols": [f"Theme {j}" for j in range(9)],
                    "values": [[(i * j) % 5 for j in range(9)] for i in range(12)],
                },
            ],
            "sources": ["Benchmark data"],
            "app": "reporting",
        }
    ]
    return {
        "covenant": {
            "name": "Benchmark covenant",
            "sector": "Garment",
            "phase": "Implementation",
            "start_date": "2021-07-01",
            "end_date": "2026-06-30",
        },
        "year": 2025,
        "as_of": "2025-12-31",
        "language": "en",
        "sections": sections,
        "sources": ["Benchmark data"],
        "errors": [],
        "licence": build.LICENCE,
    }


def main() -> None:
    with translation.override("en"):
        data = report_data(10)
        chart_list = data["sections"][0]["charts"]
        charts.chart_svg(chart_list[0])  # import matplotlib outside the timings

        def cold() -> None:
            charts._cached_uri.cache_clear()
            for c in chart_list:
                charts.chart_data_uri(c)

        def warm() -> None:
            for c in chart_list:
                charts.chart_data_uri(c)

        t_cold = best_of(cold)
        warm()
        t_warm = best_of(warm, repeat=20)
        print(
            f"dashboard charts (3): cold {t_cold * 1000:.0f} ms (baseline), "
            f"cached {t_warm * 1000:.2f} ms, {t_cold / t_warm:.0f}x faster"
        )

        render.render_report_pdf(report_data(1))  # load WeasyPrint and fonts outside the timings
        print("agreements  html_ms  pdf_ms  pdf_kb  ms_per_agreement")
        for n in (5, 20, 80):
            d = report_data(n)
            charts._cached_uri.cache_clear()
            t0 = time.perf_counter()
            body = render.render_report_html(d)
            t1 = time.perf_counter()
            pdf = render.render_report_pdf(d, body=body)
            t2 = time.perf_counter()
            total = t2 - t0
            print(
                f"{n:10d}  {(t1 - t0) * 1000:7.0f}  {(t2 - t1) * 1000:6.0f}  "
                f"{len(pdf) // 1024:6d}  {total * 1000 / n:16.1f}"
            )


if __name__ == "__main__":
    main()
