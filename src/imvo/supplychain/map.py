"""The public map of production locations, drawn as SVG by the platform.

Countries are shaded by how many public locations they hold (a choropleth) and
locations with coordinates are drawn as dots, grouped per small cell so the
map stays light however many there are. The geometry is Natural Earth's 1:110m
countries (public domain), projected once with Equal Earth and shipped as
`data/world_110m.json` (made by `scripts/maps/make_world_map.py`): no tiles,
no scripts, nothing fetched, so it renders offline and under the CSP (SVG
presentation attributes, no inline CSS).

What it draws comes from `public.countries` / `public.points`, which apply the
publication rule: a country fewer than K members source in is not shaded and
has no dots; its locations are counted under "Other countries".
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imvo.core.countries import display_name

WIDTH = 1000.0
# Equal Earth spans 2 x 2.7064 (x) by 2 x 1.3173 (y) on the unit sphere; the
# southern edge is cut at 58°S (no Antarctica).
_X_MAX = 2.70629
_Y_MAX = 1.31726
_SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = 440.0
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

GEOMETRY = Path(__file__).parent / "data" / "world_110m.json"
# Five shades, light to dark (sequential blues; readable on white and for
# colour-blind readers); countries without public locations stay grey.
SHADES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
EMPTY = "#e5e5e5"
DOT = "#d94801"


def project(lat: float, lng: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson, Jenny 2018) onto the map's canvas."""
    phi, lam = math.radians(lat), math.radians(lng)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x + _X_MAX) * _SCALE, (_Y_MAX - y) * _SCALE


@lru_cache(maxsize=1)
def shapes() -> dict[str, str]:
    """alpha-2 -> SVG path data, from the shipped geometry."""
    data: dict[str, Any] = json.loads(GEOMETRY.read_text())
    return dict(data["countries"])


@dataclass(frozen=True)
class Band:
    """One step of the legend: countries with `low`..`high` locations get `colour`."""

    low: int
    high: int
    colour: str


def bands(counts: list[int]) -> list[Band]:
    """Up to five classes by quantiles of the shown countries' counts."""
    values = sorted(set(counts))
    if not values:
        return []
    n = min(len(SHADES), len(values))
    edges = [values[min(len(values) - 1, (len(values) * (i + 1)) // n - 1)] for i in range(n)]
    out, low = [], values[0]
    for i, high in enumerate(edges):
        if high < low:
            continue
        out.append(Band(low, high, SHADES[round(i * (len(SHADES) - 1) / max(1, n - 1))]))
        low = high + 1
    return out


def _colour(count: int, legend: list[Band]) -> str:
    for band in legend:
        if band.low <= count <= band.high:
            return band.colour
    return EMPTY


def render(
    countries: list[tuple[str, int]],
    points: list[tuple[float, float, int]],
    title: str,
    cell: float = 6.0,
) -> tuple[str, list[Band]]:
    """The map as an SVG string, and its legend.

    `countries`: (alpha-2, locations) of the countries that may be named;
    `points`: (lat, lng, members) of locations with coordinates in them."""
    counts = dict(countries)
    legend = bands(list(counts.values()))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'role="img" aria-labelledby="map-title" class="world-map" width="100%">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="#f7fbff"/>',
    ]
    for code, d in shapes().items():
        n = counts.get(code, 0)
        fill = _colour(n, legend) if n else EMPTY
        label = display_name(code)
        if n:
            label += ": " + ngettext(
                "%(n)s production location", "%(n)s production locations", n
            ) % {"n": n}
        out.append(
            f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.5" '
            f'data-country="{code}"><title>{escape(label)}</title></path>'
        )
    # Dots grouped per cell of the canvas: one circle per cell, sized by count.
    cells: dict[tuple[int, int], int] = {}
    for lat, lng, _members in points:
        if not (-58 <= lat <= 90 and -180 <= lng <= 180):
            continue
        x, y = project(lat, lng)
        key = (int(x // cell), int(y // cell))
        cells[key] = cells.get(key, 0) + 1
    for (cx, cy), n in sorted(cells.items()):
        r = min(6.0, 1.6 + math.sqrt(n) * 0.6)
        label = ngettext("%(n)s location", "%(n)s locations", n) % {"n": n}
        out.append(
            f'<circle cx="{(cx + 0.5) * cell:.1f}" cy="{(cy + 0.5) * cell:.1f}" r="{r:.1f}" '
            f'fill="{DOT}" fill-opacity="0.75" stroke="#ffffff" stroke-width="0.4">'
            f"<title>{escape(label)}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out), legend


def legend_labels(legend: list[Band]) -> list[tuple[str, str]]:
    """(colour, text) per legend step."""
    return [
        (
            b.colour,
            str(b.low)
            if b.low == b.high
            else _("%(low)s to %(high)s") % {"low": b.low, "high": b.high},
        )
        for b in legend
    ]
