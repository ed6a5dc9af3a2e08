"""The prepared registry (cleaned values + blocking index) on disk, and added to.

Building the index of a million facilities costs about as much as matching a
100,000-row list against it, and the registry changes little between uploads:
new facilities are added, rarely one is merged or edited. So the prepared
registry is written once (`save`), read back in a few seconds (`load`), and new
facilities are added to it (`add`) at the cost of the new records only.
`add(prepare(A), B)` gives the same registry as `prepare(A + B)` (a test holds
this), so matching never depends on the order the registry grew in.

Files (Arrow IPC, read memory-mapped): `facilities.arrow` (id, cleaned name,
address, country, lat, lng, joined name), `keys.arrow` and `freq.arrow` (the
blocking postings and key frequencies), `cells.arrow` (geo cells), `meta.json`
(format, size, blocking settings). No ORM here; `supplychain.registry_index`
keeps the files in step with the database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from imvo.supplychain.matching import Registry, _clean, _objects, blocking, features
from imvo.supplychain.matching.model import Model
from imvo.supplychain.matching.model import load as load_model

FORMAT = "imvo-registry-index-2"


def save(registry: Registry, directory: Path) -> None:
    """Write the prepared registry into `directory` (created; must not exist yet, so a
    reader never sees a half-written generation)."""
    directory.mkdir(parents=True)
    pl.DataFrame(
        {
            "id": registry.ids,
            "name": registry.names,
            "address": registry.addresses,
            "country": registry.countries,
            "lat": registry.lat,
            "lng": registry.lng,
            "joined": registry.joined_arr.tolist(),
        },
        schema_overrides={
            "name": pl.String,
            "address": pl.String,
            "country": pl.String,
            "joined": pl.String,
            "lat": pl.Float64,
            "lng": pl.Float64,
        },
    ).write_ipc(directory / "facilities.arrow")
    registry.index.keys.write_ipc(directory / "keys.arrow")
    registry.index.freq.write_ipc(directory / "freq.arrow")
    registry.index.cells.write_ipc(directory / "cells.arrow")
    meta = {
        "format": FORMAT,
        "size": len(registry),
        "blocking": dataclasses.asdict(registry.index.blocking),
    }
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def read_meta(directory: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{directory}: not a registry index of format {FORMAT}")
    return meta


def load(directory: Path, model: Model | None = None) -> Registry:
    """The prepared registry written by `save`."""
    meta = read_meta(directory)
    facilities = pl.read_ipc(directory / "facilities.arrow")
    index = blocking.Index(
        keys=pl.read_ipc(directory / "keys.arrow"),
        freq=pl.read_ipc(directory / "freq.arrow"),
        cells=pl.read_ipc(directory / "cells.arrow"),
        size=int(meta["size"]),
        blocking=blocking.Blocking(**meta["blocking"]),
    )
    if facilities.height != index.size:
        raise ValueError(f"{directory}: {facilities.height} facilities, index of {index.size}")
    names = facilities["name"].to_list()
    return Registry(
        ids=facilities["id"].to_list(),
        names=names,
        addresses=facilities["address"].to_list(),
        countries=facilities["country"].to_list(),
        lat=facilities["lat"].fill_null(np.nan).to_numpy(),
        lng=facilities["lng"].fill_null(np.nan).to_numpy(),
        index=index,
        name_counts=_name_counts(facilities),
        model=model or load_model(),
        names_arr=_objects(names),
        addresses_arr=_objects(facilities["address"].to_list()),
        joined_arr=_objects(facilities["joined"].to_list()),
    )


def _name_counts(clean: pl.DataFrame) -> dict[str, int]:
    counts = clean.group_by("country", "name").len()
    return dict(
        zip(
            (counts["country"] + "|" + counts["name"]).to_list(),
            counts["len"].to_list(),
            strict=True,
        )
    )


def add(registry: Registry, frame: pl.DataFrame, normalised: bool = False) -> Registry:
    """A new prepared registry: `registry` plus the facilities of `frame` (columns as
    for `prepare_registry`). `registry` itself is left as it was (a reader holding it
    keeps a consistent view)."""
    if not frame.height:
        return registry
    clean = _clean(frame, normalised).with_columns(pl.col("idx") + len(registry))
    names = clean["name"].to_list()
    name_counts = dict(registry.name_counts)
    for key, n in _name_counts(clean).items():
        name_counts[key] = name_counts.get(key, 0) + n
    lat = clean["lat"].fill_null(np.nan).to_numpy()
    lng = clean["lng"].fill_null(np.nan).to_numpy()
    return Registry(
        ids=[*registry.ids, *frame["id"].to_list()],
        names=[*registry.names, *names],
        addresses=[*registry.addresses, *clean["address"].to_list()],
        countries=[*registry.countries, *clean["country"].to_list()],
        lat=np.concatenate([registry.lat, lat]),
        lng=np.concatenate([registry.lng, lng]),
        index=blocking.extend_index(registry.index, clean),
        name_counts=name_counts,
        model=registry.model,
        names_arr=np.concatenate([registry.names_arr, _objects(names)]),
        addresses_arr=np.concatenate(
            [registry.addresses_arr, _objects(clean["address"].to_list())]
        ),
        joined_arr=np.concatenate(
            [registry.joined_arr, _objects([features.joined_name.__wrapped__(n) for n in names])]
        ),
    )
