"""The frame the matcher reads, in one place: the platform's run (`services`), the
offline `imvo match` and the registry index (`registry_index`) build it here.

Columns (MATCH_INPUT): name, address, country (ISO alpha-2), lat, lng (floats, None =
unknown); a registry's facilities have an Int64 `id` first. Names and addresses may
be as typed (a list's rows: `match_frame` cleans them) or stored cleaned (the
registry: `prepare_registry(..., normalised=True)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

MATCH_INPUT: dict[str, Any] = {
    "name": pl.String,
    "address": pl.String,
    "country": pl.String,
    "lat": pl.Float64,
    "lng": pl.Float64,
}
REGISTRY_INPUT: dict[str, Any] = {"id": pl.Int64, **MATCH_INPUT}


def match_input(rows: Iterable[tuple[str, str, str, float | None, float | None]]) -> pl.DataFrame:
    """The frame `matching.match_frame` reads: one line per (name, address, country,
    lat, lng) of a validated supplier-list row."""
    return pl.DataFrame(list(rows), schema=MATCH_INPUT, orient="row")


def registry_input(
    facilities: Iterable[tuple[int, str, str, str, float | None, float | None]],
) -> pl.DataFrame:
    """The frame `matching.prepare_registry` reads: one line per (id, name, address,
    country, lat, lng) of a facility."""
    return pl.DataFrame(list(facilities), schema=REGISTRY_INPUT, orient="row")
