"""The chart renderer's edge cases, read off the SVG text it draws."""

from __future__ import annotations

from imvo.reporting.charts import chart_svg


def test_a_bar_chart_of_only_zeros_has_no_negative_axis():
    """A year without complaints drew its bars chart with an axis from -0.04 to 0.04
    (the published PDF, section 8): counts never go below zero, so the axis starts at 0."""
    chart = {
        "type": "bar",
        "title": "Complaints handled",
        "labels": ["Received", "Admissible", "Resolved"],
        "series": [{"name": "2024", "values": [0, 0, 0]}, {"name": "2025", "values": [0, 0, 0]}],
    }
    svg = chart_svg(chart)
    assert "\u2212" not in svg  # matplotlib writes a minus sign for negative ticks
    assert "0.04" not in svg and "0.02" not in svg
