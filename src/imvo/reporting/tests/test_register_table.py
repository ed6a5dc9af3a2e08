"""The public case register in the yearly report PDF stays readable: columns no
case fills are left out and a case number is never split over two lines."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from imvo.reporting.render import render_report_html, render_report_pdf

HEADER = ["Case", "Filed (month)", "Country", "Themes", "Company", "Status", "Days to decision"]
REFERENCE = "IMVO-2026-000123"


def _report() -> dict[str, Any]:
    rows = [
        [REFERENCE, "2026-03", "", "Wages, Freedom of association", "", "Under investigation", 41],
        ["IMVO-2026-000124", "2026-05", "", "Health and safety", "", "Admissible", ""],
    ]
    return {
        "covenant": {
            "name": "Textile",
            "sector": "Garments",
            "start_date": "2025-01-01",
            "end_date": "2029-12-31",
            "phase": "Implementation",
        },
        "year": 2026,
        "as_of": "2026-12-31",
        "language": "en",
        "licence": "CC BY 4.0",
        "sources": [],
        "sections": [
            {
                "key": "complaints-register",
                "title": "Public case register",
                "text": "",
                "figures": [],
                "charts": [],
                "tables": [{"caption": "Public case register", "header": HEADER, "rows": rows}],
                "sources": [],
            }
        ],
    }


def test_columns_empty_in_every_row_are_left_out_of_the_register() -> None:
    html = render_report_html(_report())
    assert '<th scope="col">Themes</th>' in html and '<th scope="col">Status</th>' in html
    assert '<th scope="col">Country</th>' not in html
    assert '<th scope="col">Company</th>' not in html
    # A column filled in one row only stays, and its cells stay in line.
    assert '<th scope="col">Days to decision</th>' in html
    assert "<td>Under investigation</td><td>41</td>" in html


def test_a_table_without_rows_keeps_its_header() -> None:
    report = _report()
    report["sections"][0]["tables"][0]["rows"] = []
    assert '<th scope="col">Country</th>' in render_report_html(report)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_a_case_number_is_not_split_in_the_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report_pdf(_report()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert any(REFERENCE in line for line in text.splitlines())
    assert "Country" not in text
