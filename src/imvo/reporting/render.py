"""Turning report data into what people read: the body as HTML (the same for
the web and the PDF), the PDF that reads like a publication, and the dashboards'
sections. Charts are drawn by ``reporting.charts``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from imvo.core.pdf import html_to_pdf
from imvo.reporting.models import PublishedReport


def decorate(data: dict[str, Any]) -> dict[str, Any]:
    """Add the rendered charts (SVG data URIs and their tables) for the templates."""
    from imvo.reporting.charts import chart_data_uri, chart_table

    view = dict(data)
    view["sections"] = []
    n = 0
    for s in data["sections"]:
        s = dict(s)
        charts = []
        for chart in s["charts"]:
            n += 1
            charts.append(
                {**chart, "n": n, "uri": chart_data_uri(chart), "table": chart_table(chart)}
            )
        s["rendered_charts"] = charts
        s["tables"] = [_without_empty_columns(t) for t in s.get("tables", [])]
        view["sections"].append(s)
    return view


def _without_empty_columns(table: dict[str, Any]) -> dict[str, Any]:
    """The table without the columns empty in every row (a register whose cases
    name no country or company): in a PDF an empty column only narrows the others
    until their words break into fragments. A table without rows keeps its header."""
    rows = table.get("rows") or []
    header = list(table.get("header") or [])
    if not rows:
        return table
    keep = [i for i in range(len(header)) if any(_filled(row, i) for row in rows)]
    if len(keep) == len(header):
        return table
    return {
        **table,
        "header": [header[i] for i in keep],
        "rows": [[row[i] for i in keep if i < len(row)] for row in rows],
    }


def _filled(row: list[Any], i: int) -> bool:
    return i < len(row) and row[i] not in (None, "")


def render_report_html(data: dict[str, Any], edition: PublishedReport | None = None) -> str:
    """The report body as HTML (without the site chrome), the same for web and PDF."""
    return render_to_string(
        "reporting/report_body.html", {"report": decorate(data), "edition": edition}
    )


def render_report_pdf(
    data: dict[str, Any], edition: PublishedReport | None = None, body: str | None = None
) -> bytes:
    """The report as a PDF that reads like a publication: title page, contents, sections."""
    from django.contrib.staticfiles import finders

    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": data,
            "edition": edition,
            "body": body if body is not None else render_report_html(data, edition),
        },
    )
    css_path = finders.find("reporting/report.css")
    # The charts are data: URIs; html_to_pdf fetches nothing else, so no text in
    # a report can make the server read a file or call a URL.
    return html_to_pdf(html, [css_path] if css_path else [])


def render_sections_html(view: dict[str, Any]) -> str:
    """Sections (already decorated with charts) as HTML, for the dashboards."""
    return render_to_string("reporting/_sections.html", {"sections": view["sections"]})
