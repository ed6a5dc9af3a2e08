"""Charts as SVG (matplotlib), so one chart serves the web page, print and the PDF.

A chart is the plain dict of the report-section interface:
``{"type": "bar"|"line", "title", "labels", "series": [{"name", "values"}]}`` or
``{"type": "heatmap", "title", "rows", "cols", "values"}``. Every chart also has a
text alternative: :func:`chart_table` gives the same numbers as a table.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import math
import textwrap
from typing import Any

# Colour-blind-safe palette (Okabe-Ito), dark enough on white.
STATUS_COLOURS = {
    "achieved": "#1e6b34",
    "on_track": "#009e73",
    "behind": "#d55e00",
    "no_data": "#9aa5b1",
}
PALETTE = ["#0b5394", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
INK = "#1b1f24"
DASH = "\u2013"  # shown for a missing value
GRID = "#c9d1d9"


def _num(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(label), width)[:3]) or " "


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig


def _style_axes(ax) -> None:  # type: ignore[no-untyped-def]
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _bar(fig, chart: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Horizontal bars, grouped per label; ``"stacked": true`` stacks the series
    (counts that add up, e.g. agreements by status). A series may name its ``color``."""
    from matplotlib.ticker import MaxNLocator

    labels = [str(x) for x in chart.get("labels") or []]
    series = chart.get("series") or []
    stacked = bool(chart.get("stacked"))
    ax = fig.add_subplot(1, 1, 1)
    n = max(1, len(series))
    height = 0.6 if stacked else 0.8 / n
    left = [0.0] * len(labels)
    all_int = True
    for i, s in enumerate(series):
        values = [_num(v) for v in s.get("values") or []][: len(labels)]
        values += [math.nan] * (len(labels) - len(values))
        all_int = all_int and all(math.isnan(v) or v == int(v) for v in values)
        color = s.get("color") or PALETTE[i % len(PALETTE)]
        name = str(s.get("name", ""))
        if stacked:
            clean = [0.0 if math.isnan(v) else v for v in values]
            ax.barh(range(len(labels)), clean, height=height, left=left, label=name, color=color)
            left = [a + b for a, b in zip(left, clean, strict=True)]
        else:
            ys = [j + (i - (n - 1) / 2) * height for j in range(len(values))]
            ax.barh(ys, values, height=height, label=name, color=color)
    ax.set_yticks(range(len(labels)), [_wrap(x) for x in labels])
    ax.invert_yaxis()
    drawn = [
        v for s in series for v in (_num(x) for x in s.get("values") or []) if not math.isnan(v)
    ]
    if all(v == 0 for v in drawn):
        # Nothing to draw (a year without complaints): matplotlib centres an empty
        # axis on 0 and labels it -0.04..0.04; counts and shares start at 0.
        ax.set_xlim(0, 1)
    if all_int:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    _style_axes(ax)
    if n > 1:
        # Below the plot, so it never hides a bar.
        ax.legend(
            fontsize=8,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncol=min(n, 4),
        )


def _line(fig, chart: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    labels = [str(x) for x in chart.get("labels") or []]
    ax = fig.add_subplot(1, 1, 1)
    for i, s in enumerate(chart.get("series") or []):
        values = [_num(v) for v in s.get("values") or []][: len(labels)]
        ax.plot(
            range(len(values)),
            values,
            marker="o",
            label=_wrap(str(s.get("name", "")), 40),
            color=PALETTE[i % len(PALETTE)],
        )
    ax.set_xticks(range(len(labels)), labels)
    _style_axes(ax)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    if chart.get("series"):
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _heatmap(fig, chart: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    rows = [str(r) for r in chart.get("rows") or []]
    cols = [str(c) for c in chart.get("cols") or []]
    values = chart.get("values") or []
    grid = np.full((len(rows), len(cols)), np.nan)
    for i, row in enumerate(values[: len(rows)]):
        for j, v in enumerate((row or [])[: len(cols)]):
            grid[i, j] = _num(v)
    ax = fig.add_subplot(1, 1, 1)
    masked = np.ma.masked_invalid(grid)
    img = ax.imshow(masked, cmap="YlOrRd", aspect="auto")
    ax.set_xticks(range(len(cols)), [_wrap(c, 14) for c in cols], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(labelsize=8, colors=INK)
    finite = grid[np.isfinite(grid)]
    high = float(finite.max()) if finite.size else 0.0
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = grid[i, j]
            text = DASH if math.isnan(v) else f"{v:g}"
            dark = not math.isnan(v) and high and v > high * 0.6
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="#fff" if dark else INK)
    fig.colorbar(img, ax=ax, fraction=0.03)


def chart_svg(chart: dict[str, Any]) -> str:
    """Render one chart dict to SVG text (deterministic output for the same data)."""
    import matplotlib

    kind = chart.get("type")
    if kind == "heatmap":
        rows = len(chart.get("rows") or [])
        height = max(2.5, 0.32 * rows + 1.8)
        width = max(6.0, 0.45 * len(chart.get("cols") or []) + 2.5)
    elif kind == "bar":
        per_label = 1 if chart.get("stacked") else max(1, len(chart.get("series") or []))
        bars = len(chart.get("labels") or []) * per_label
        height = max(2.2, (0.42 if chart.get("stacked") else 0.28) * bars + 1.0)
        width = 7.0
    else:
        height, width = 3.2, 7.0
    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "imvo",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "text.color": INK,
            "axes.edgecolor": INK,
        }
    ):
        fig = _figure(width, min(height, 12.0))
        if kind == "heatmap":
            _heatmap(fig, chart)
        elif kind == "line":
            _line(fig, chart)
        else:
            _bar(fig, chart)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def chart_data_uri(chart: dict[str, Any]) -> str:
    """The chart as a data: URI for an <img>: it keeps its styling under the strict CSP.

    Dashboards draw the same charts on every visit until the data change, so the
    result is cached per process, keyed on the chart's own data.
    """
    return _cached_uri(json.dumps(chart, sort_keys=True, default=str))


@functools.lru_cache(maxsize=256)
def _cached_uri(chart_json: str) -> str:
    svg = chart_svg(json.loads(chart_json))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def chart_table(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart's numbers as a table: its text alternative."""
    if chart.get("type") == "heatmap":
        header = ["", *[str(c) for c in chart.get("cols") or []]]
        rows = []
        values = chart.get("values") or []
        for i, r in enumerate(chart.get("rows") or []):
            row = values[i] if i < len(values) else []
            rows.append([str(r), *[DASH if v is None else v for v in row]])
        return {"header": header, "rows": rows}
    series = chart.get("series") or []
    header = ["", *[str(s.get("name", "")) for s in series]]
    rows = []
    for i, label in enumerate(chart.get("labels") or []):
        cells = []
        for s in series:
            vals = s.get("values") or []
            v = vals[i] if i < len(vals) else None
            cells.append(DASH if v is None else v)
        rows.append([str(label), *cells])
    return {"header": header, "rows": rows}
