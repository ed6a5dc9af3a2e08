"""The frame the matcher reads, in one place: the web job (`services`), `imvo match`
and the registry index (`registry_index`) build it here.

Columns: name, address, country (ISO alpha-2), lat, lng (floats, null = unknown);
a registry's facilities have an Int64 `id` first. Names and addresses may be raw (a
list's rows: `match_frame` cleans them) or stored cleaned (the registry:
`prepare_registry(..., normalised=True)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

COLUMNS: dict[str, Any] = {
    "name": pl.String,
    "address": pl.String,
    "country": pl.String,
    "lat": pl.Float64,
    "lng": pl.Float64,
}


def input_frame(
    name: Sequence[Any],
    address: Sequence[Any],
    country: Sequence[Any],
    lat: Sequence[Any],
    lng: Sequence[Any],
    ids: Sequence[Any] | None = None,
) -> pl.DataFrame:
    """One value per row in each column (see the module); `ids`: a registry's facility ids."""
    columns = dict(zip(COLUMNS, (name, address, country, lat, lng), strict=True))
    schema = dict(COLUMNS)
    if ids is not None:
        columns = {"id": ids, **columns}
        schema = {"id": pl.Int64, **schema}
    return pl.DataFrame(columns, schema=schema)
