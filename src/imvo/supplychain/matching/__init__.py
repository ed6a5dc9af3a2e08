"""Matching supplier-list rows to canonical facilities (production locations).

The same core serves the web job, the offline `imvo match` command, `imvo match
train` and the benchmarks: plain functions on polars frames, no database.

1. **Normalise** name, address and country (`normalise.py`); coordinates come
   checked by the parser (`geo.py`).
2. **Block** wide (`blocking.py`): name words and 4-grams, house number +
   street, postcodes, nearby cells; unioned.
3. **Compare** each candidate pair field by field into levels (`features.py`).
4. **Weigh** the levels with the weights shipped in `model.json` (`model.py`:
   a weight in bits per level, fitted by logistic regression; name levels split
   by how common the name is) into a match weight; every proposal keeps its
   evidence as an explanation.
5. **Decide** (`decide`): the row probability of the best candidate against
   the others and "none"; automatic only with evidence beyond the name; pending
   for a person; or new.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from imvo.supplychain.matching import blocking, features
from imvo.supplychain.matching.model import (
    KINDS,
    Model,
    contradicted,
    kind_of,
    load,
    lookalikes,
    supported,
)
from imvo.supplychain.normalise import normalise_addresses, normalise_names

AUTOMATIC = "automatic"
PENDING = "pending"
NEW = "new"
INVALID = "invalid"

__all__ = [
    "AUTOMATIC",
    "INVALID",
    "NEW",
    "PENDING",
    "Candidate",
    "ListContext",
    "MatchResult",
    "Model",
    "Registry",
    "decide",
    "list_context",
    "load",
    "match_frame",
    "prepare_registry",
    "row_probability",
]


@dataclass(frozen=True)
class ListContext:
    """What the operator level (`features.operator_levels`) reads from a whole list:
    its operator names (cleaned name -> leading words that are the operator's,
    `features.operator_prefixes`) and its places (every word of its addresses).
    A worker matching a long list in chunks passes the whole list's, so a chunk
    decides as the whole list does (and as `imvo match` on the same file)."""

    prefixes: dict[str, int]
    places: frozenset[str]


def list_context(frame: pl.DataFrame) -> ListContext:
    """The `ListContext` of a whole list (`frame` as `match_frame` takes it)."""
    rows = _clean(frame, normalised=False)
    names = rows["name"].to_list()
    return ListContext(
        dict(zip(names, features.operator_prefixes(names), strict=True)),
        features.address_words(rows["address"].to_list()),
    )


@dataclass
class Registry:
    """A prepared facility registry: cleaned values, coordinates, blocking index,
    name frequencies (for the term-frequency adjustment) and the model."""

    ids: list[Any]
    names: list[str]
    addresses: list[str]
    countries: list[str]
    lat: np.ndarray
    lng: np.ndarray
    index: blocking.Index
    name_counts: dict[str, int]  # "CC|cleaned name" -> facilities carrying it
    model: Model
    # The same values as numpy object arrays, and the names without spaces and
    # articles (`features.joined_name`), computed once per registry: scoring gathers
    # them for millions of candidate pairs without a Python loop.
    names_arr: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    addresses_arr: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    joined_arr: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    # country, joined (name), name, address, j (position), lat, lng and the ~550 m cell
    # (cy, cx; null without coordinates) of every record: made on first use
    # (`records`), for counting namesakes near a row and a candidate's twins.
    _records: pl.DataFrame | None = field(default=None, repr=False, compare=False)

    def records(self) -> pl.DataFrame:
        if self._records is None:
            cell = float(blocking.CELLS_PER_DEGREE)
            frame = pl.DataFrame(
                {
                    "country": self.countries,
                    "joined": self.joined_arr.tolist(),
                    "name": self.names,
                    "address": self.addresses,
                    "lat": self.lat,
                    "lng": self.lng,
                },
                schema={
                    "country": pl.String,
                    "joined": pl.String,
                    "name": pl.String,
                    "address": pl.String,
                    "lat": pl.Float64,
                    "lng": pl.Float64,
                },
            ).with_row_index("j")
            placed = pl.col("lat").is_not_nan() & pl.col("lng").is_not_nan()
            self._records = frame.with_columns(
                pl.col("j").cast(pl.Int64),
                cy=pl.when(placed).then((pl.col("lat") * cell).floor().cast(pl.Int64)),
                cx=pl.when(placed).then((pl.col("lng") * cell).floor().cast(pl.Int64)),
            )
        return self._records

    def placed(self) -> pl.DataFrame:
        """`records` with coordinates."""
        return self.records().filter(pl.col("cy").is_not_null())

    def record(self, j: int) -> tuple[str, str, str, float, float]:
        """What `features.twins` compares of record j: country, joined name, address,
        lat, lng."""
        return (
            self.countries[j],
            str(self.joined_arr[j]),
            self.addresses[j],
            float(self.lat[j]),
            float(self.lng[j]),
        )

    def __post_init__(self) -> None:
        if len(self.names_arr) != len(self.names):
            self.names_arr = _objects(self.names)
            self.addresses_arr = _objects(self.addresses)
            self.joined_arr = _objects([features.joined_name.__wrapped__(n) for n in self.names])

    def __len__(self) -> int:
        return len(self.ids)


def _objects(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _coords(frame: pl.DataFrame, col: str) -> pl.Series:
    if col not in frame.columns:
        return pl.Series(col, [None] * frame.height, dtype=pl.Float64)
    return frame[col].cast(pl.Float64, strict=False)


def _clean(frame: pl.DataFrame, normalised: bool) -> pl.DataFrame:
    countries = frame["country"].cast(pl.String).fill_null("").str.to_uppercase()
    if normalised:
        names = frame["name"].cast(pl.String).fill_null("")
        addresses = frame["address"].cast(pl.String).fill_null("")
    else:
        names = normalise_names(frame["name"].cast(pl.String))
        addresses = normalise_addresses(frame["address"].cast(pl.String))
    return pl.DataFrame(
        {
            "idx": pl.int_range(0, frame.height, eager=True, dtype=pl.Int64),
            "name": names,
            "address": addresses,
            "country": countries,
            "lat": _coords(frame, "lat"),
            "lng": _coords(frame, "lng"),
        }
    )


def prepare_registry(
    frame: pl.DataFrame,
    model: Model | None = None,
    normalised: bool = False,
    settings: blocking.Blocking | None = None,
) -> Registry:
    """Index a registry frame with columns id, name, address, country (ISO alpha-2)
    and optionally lat, lng. With `normalised=True` name and address are already
    cleaned (the database stores them so)."""
    clean = _clean(frame, normalised)
    index = blocking.build_index(clean, settings or blocking.Blocking())
    counts = clean.group_by("country", "name").len()
    name_counts = dict(
        zip(
            (counts["country"] + "|" + counts["name"]).to_list(),
            counts["len"].to_list(),
            strict=True,
        )
    )
    return Registry(
        ids=frame["id"].to_list(),
        names=clean["name"].to_list(),
        addresses=clean["address"].to_list(),
        countries=clean["country"].to_list(),
        lat=clean["lat"].fill_null(np.nan).to_numpy(),
        lng=clean["lng"].fill_null(np.nan).to_numpy(),
        index=index,
        name_counts=name_counts,
        model=model or load(),
    )


@dataclass
class Candidate:
    facility_id: Any
    probability: float
    weight: float
    explanation: list[dict[str, Any]]
    support: bool  # evidence beyond the name (address or coordinates)
    lookalike: bool = False  # the name agrees, the address is next door (model.lookalikes)
    contradicted: bool = False  # the address differs or over 1 km apart (model.contradicted)
    # The registry record as `features.twins` compares it (country, joined name, address,
    # lat, lng): a twin of the best candidate is the same place, no rival (`rivals`).
    record: tuple[str, str, str, float, float] | None = None


@dataclass
class MatchResult:
    """The decision for one row: best facility (registry id), its score (match
    probability in %), the status, the scored candidates (id, score) best first,
    and the evidence for the proposed facility."""

    facility_id: Any | None
    score: float
    status: str
    candidates: list[tuple[Any, float]]
    explanation: list[dict[str, Any]] = field(default_factory=list)
    # Every scored candidate (for deciding again without one a person rejected).
    scored: list[Candidate] = field(default_factory=list)


def pair_levels(
    names_a: Sequence[str],
    addrs_a: Sequence[str],
    lat_a: np.ndarray,
    lng_a: np.ndarray,
    names_b: Sequence[str],
    addrs_b: Sequence[str],
    lat_b: np.ndarray,
    lng_b: np.ndarray,
    name_counts: np.ndarray | None = None,
    base_name_levels: np.ndarray | None = None,
    word_counts: Any | None = None,
    nearby_counts: Any | None = None,
    extra_generic: Any | None = None,
    keys: tuple[np.ndarray, np.ndarray] | None = None,
    operator_prefix: np.ndarray | None = None,
    site_words: Any | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Comparison levels of cleaned pairs, and their distances in metres (NaN = unknown).
    `name_counts`: see `features.name_levels_tf` (None: every name unique).
    `word_counts`: called with the positions of the pairs whose shared name words are
    compared (`features.word_compared`), returns the registry count of their rarest
    shared word (0: none); None (single pairs, no registry to count in): not compared.
    `nearby_counts`: called with the positions of the pairs whose namesakes nearby are
    looked for (`features.nearby_compared`), returns the distance from the row of the
    nearest other registry place with either name (inf: none within
    `features.NEARBY_METERS`); None: not compared.
    `extra_generic`: called with the positions of the pairs whose names are contained,
    returns per pair whether the extra words are all generic
    (`features.GENERIC_WORD_COUNT`); None (no registry to count in): none is.
    `keys`: per pair, which list row and which registry record it is (see
    `features.place_word_pairs`; None: every pair its own).
    `operator_prefix`: per pair, how many leading words of the row's name are its
    list's operator name (`features.operator_prefixes`; None: no list, never read);
    `site_words(ks, rests)`: do the rests of pairs `ks` keep a site word
    (`features.site_words`)."""
    meters = features.distances_m(lat_a, lng_a, lat_b, lng_b)
    if base_name_levels is None:
        base = features.without_place_words(
            names_a, names_b, addrs_a, addrs_b, features.name_levels(names_a, names_b), keys=keys
        )
    else:
        base = base_name_levels
    counts = np.ones(len(base)) if name_counts is None else name_counts
    address = features.address_levels(addrs_a, addrs_b, keys)
    distance = features.distance_levels(meters)
    compared = features.word_compared(base, address, distance)
    shared = np.zeros(len(base), dtype=np.int64)
    if word_counts is not None and compared.any():
        ks = np.flatnonzero(compared)
        shared[ks] = word_counts(ks)
    else:
        compared[:] = False
    near = features.nearby_compared(base, counts, meters)
    nearest = np.full(len(base), np.inf)
    if nearby_counts is not None and near.any():
        ks = np.flatnonzero(near)
        nearest[ks] = nearby_counts(ks)
    else:
        near[:] = False
    generic = None
    contained = np.flatnonzero(base == 3)
    if extra_generic is not None and len(contained):
        generic = np.zeros(len(base), dtype=bool)
        generic[contained] = extra_generic(contained)
    return {
        "name": features.name_levels_tf(base, counts, generic),
        "address": address,
        "distance": distance,
        "name_number": features.name_number_levels(names_a, names_b, addrs_a, addrs_b, keys),
        "name_word": features.name_word_levels(shared, compared),
        "name_nearby": features.name_nearby_levels(nearest, near),
        "name_operator": features.operator_levels(
            names_a, names_b, base, address, operator_prefix, site_words
        ),
    }, meters


def _tf_counts(
    registry: Registry,
    rows: Sequence[str],
    js: Sequence[int],
    name_lv: np.ndarray,
    row_names: Sequence[str],
) -> np.ndarray:
    """How many facilities of the country share the agreeing name (1 = unique)."""
    out = np.ones(len(js), dtype=np.float64)
    contained: list[tuple[int, list[str]]] = []
    # Only exact, near and contained names are looked up: a loop over those pairs alone.
    for k in np.flatnonzero((name_lv >= 1) & (name_lv <= 3)).tolist():
        lv, country, j = name_lv[k], rows[k], js[k]
        if lv in (1, 2):
            out[k] = registry.name_counts.get(f"{country}|{registry.names[j]}", 1)
        else:
            a, b = row_names[k], registry.names[j]
            shorter = a if len(features.words(a)) <= len(features.words(b)) else b
            contained.append((k, [f"{country}|w|{w}" for w in features.words(shorter)]))
    # A place the registry holds twice counts once (features.twins).
    shared = np.flatnonzero((out > 1) & (name_lv >= 1) & (name_lv <= 2))
    if len(shared):
        out[shared] -= twin_counts(registry, np.asarray(js, dtype=np.int64)[shared])
    # The rarest word of the shorter name: one lookup in the index for all pairs.
    dfs = blocking.frequencies(registry.index, [key for _, ks in contained for key in ks])
    at = 0
    for k, ks in contained:
        # A word no facility carries (unindexed, 1 letter) counts as unique.
        found = [d or 1 for d in dfs[at : at + len(ks)]]
        out[k] = min(found) if found else 1
        at += len(ks)
    return np.maximum(out, 1.0)


# Metres in one degree of latitude (and of longitude at the equator).
_EARTH_DEGREE_M = 6_371_000.0 * math.pi / 180.0
_LAT_REACH = math.ceil(features.TWIN_METERS / (_EARTH_DEGREE_M / blocking.CELLS_PER_DEGREE))


def twin_counts(registry: Registry, js: np.ndarray) -> np.ndarray:
    """Per registry record j: how many other records carry its cleaned name and are its
    twins (`features.twins`: within `features.TWIN_METERS`, no conflicting numbers).
    Looked up in the record's and the neighbouring ~550 m cells, never over all
    namesakes."""
    records = registry.records()
    want = records.select("j", "country", "name", "address", "cy", "cx").join(
        pl.DataFrame({"cand": js.astype(np.int64), "k": np.arange(len(js), dtype=np.int64)}),
        left_on="j",
        right_on="cand",
    )
    other = records.rename({c: f"o_{c}" for c in records.columns})
    # Cells are 1/CELLS_PER_DEGREE degree: a cell's width shrinks with the latitude's
    # cosine, so near the poles a twin may lie several cells east or west.
    lat = registry.lat[js] if len(js) else np.zeros(0)
    width = (_EARTH_DEGREE_M / blocking.CELLS_PER_DEGREE) * np.cos(np.radians(np.nan_to_num(lat)))
    reach = np.minimum(np.ceil(features.TWIN_METERS / np.maximum(width, 1.0)), 1000).astype(
        np.int64
    )
    by_cell = (
        want.join(pl.DataFrame({"k": np.arange(len(js), dtype=np.int64), "w": reach}), on="k")
        .filter(pl.col("cy").is_not_null())
        .with_columns(
            dy=pl.int_ranges(-_LAT_REACH, _LAT_REACH + 1),
            dx=pl.int_ranges(-pl.col("w"), pl.col("w") + 1),
        )
        .explode("dy")
        .explode("dx")
        .with_columns(ny=pl.col("cy") + pl.col("dy"), nx=pl.col("cx") + pl.col("dx"))
        .join(
            other,
            left_on=["country", "name", "ny", "nx"],
            right_on=["o_country", "o_name", "o_cy", "o_cx"],
        )
        .select("k", "j", "o_j")
    )
    found = by_cell.filter(pl.col("j") != pl.col("o_j")).unique()
    out = np.zeros(len(js), dtype=np.float64)
    if not found.height:
        return out
    twin = _twins_of(registry, found["j"].to_numpy(), found["o_j"].to_numpy())
    np.add.at(out, found["k"].to_numpy()[twin], 1.0)
    return out


def _twins_of(registry: Registry, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`features.twins` of registry records a[i] and b[i]."""
    countries = _objects(registry.countries)
    return features.twins(
        countries[a],
        registry.joined_arr[a],
        registry.addresses_arr[a],
        registry.lat[a],
        registry.lng[a],
        countries[b],
        registry.joined_arr[b],
        registry.addresses_arr[b],
        registry.lat[b],
        registry.lng[b],
    )


def match_frame(
    registry: Registry,
    frame: pl.DataFrame,
    progress: Any | None = None,
    context: ListContext | None = None,
) -> list[MatchResult]:
    """Match every row of `frame` (columns name, address, country as ISO alpha-2,
    optionally lat, lng; already validated) against the registry. One result per row,
    in order. `progress`, when given, is called with (pairs done, total) now and then.
    `context`: the whole list's (`list_context`) when `frame` is a part of it; None:
    `frame` is the whole list."""
    # Millions of small objects next to a registry of millions of strings: Python's
    # cyclic GC would re-walk them again and again; nothing here is cyclic.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _match_frame(registry, frame, progress, context)
    finally:
        if enabled:
            gc.enable()


def score_candidates(
    registry: Registry,
    rows: pl.DataFrame,
    pairs: pl.DataFrame,
    context: ListContext | None = None,
) -> dict[str, Any]:
    """Levels, weights and probabilities of candidate pairs (`pairs`: row, idx).
    `context`: the whole list's operator names and places (None: `rows` are the list)."""
    rs, js = pairs["row"].to_list(), pairs["idx"].to_list()
    ri = pairs["row"].cast(pl.Int64).to_numpy()
    ji = pairs["idx"].cast(pl.Int64).to_numpy()
    row_names = _objects(rows["name"].to_list())
    row_joined = _objects([features.joined_name(n) for n in row_names])
    row_addrs = _objects(rows["address"].to_list())
    row_countries = _objects(rows["country"].to_list())
    rlat = rows["lat"].fill_null(np.nan).to_numpy()
    rlng = rows["lng"].fill_null(np.nan).to_numpy()
    # Gathered per pair as object arrays (C loops, no per-pair Python).
    a_names, b_names = row_names[ri], registry.names_arr[ji]
    base = features.name_levels(a_names, b_names, row_joined[ri], registry.joined_arr[ji])

    def rare(k: int, remaining: list[str]) -> bool:
        country = row_countries[ri[k]]
        counts = blocking.frequencies(registry.index, [f"{country}|w|{w}" for w in remaining])
        return min(counts) < features.GENERIC_WORD_COUNT

    base = features.without_place_words(
        a_names, b_names, row_addrs[ri], registry.addresses_arr[ji], base, rare, (ri, ji)
    )
    tf = _tf_counts(registry, row_countries[ri], js, base, a_names)

    def word_counts(ks: np.ndarray) -> np.ndarray:
        frame = pl.DataFrame(
            {
                "k": ks.astype(np.int64),
                "country": row_countries[ri[ks]].tolist(),
                "a": a_names[ks].tolist(),
                "b": b_names[ks].tolist(),
            },
            schema={"k": pl.Int64, "country": pl.String, "a": pl.String, "b": pl.String},
        )
        return blocking.word_counts(registry.index, frame)["count"].to_numpy()

    def extra_generic(ks: np.ndarray) -> np.ndarray:
        return _generic_extra(registry, row_countries[ri[ks]], a_names[ks], b_names[ks])

    # The list's operator names (features.operator_prefixes) and its places (the words
    # of its addresses), read from the whole upload.
    if context is None:
        prefix = np.asarray(features.operator_prefixes(rows["name"].to_list()), dtype=np.int64)
        places = features.address_words(rows["address"].to_list())
    else:
        prefix = np.asarray(
            [context.prefixes.get(n, 0) for n in rows["name"].to_list()], dtype=np.int64
        )
        places = context.places

    def site_words(ks: np.ndarray, rests: list[list[str]]) -> np.ndarray:
        countries = row_countries[ri[ks]]

        def count(ix: list[int], words: list[str]) -> list[int]:
            keys = [f"{countries[i]}|w|{w}" for i, w in zip(ix, words, strict=True)]
            return blocking.frequencies(registry.index, keys)

        return features.site_words(rests, places, registry.addresses_arr[ji[ks]].tolist(), count)

    def nearby_counts(ks: np.ndarray) -> np.ndarray:
        return _nearby_counts(
            registry,
            ks,
            row_countries[ri[ks]],
            row_joined[ri[ks]],
            registry.joined_arr[ji[ks]],
            ji[ks],
            rlat[ri[ks]],
            rlng[ri[ks]],
        )

    levels, meters = pair_levels(
        a_names,
        row_addrs[ri],
        rlat[ri] if len(ri) else np.zeros(0),
        rlng[ri] if len(ri) else np.zeros(0),
        b_names,
        registry.addresses_arr[ji],
        registry.lat[ji] if len(ji) else np.zeros(0),
        registry.lng[ji] if len(ji) else np.zeros(0),
        tf,
        base,
        word_counts,
        nearby_counts,
        extra_generic,
        (ri, ji),
        prefix[ri] if len(ri) else np.zeros(0, dtype=np.int64),
        site_words,
    )
    model = registry.model
    total = model.pair_bits(levels)
    support = supported(levels) & ~features.part_of_place(a_names, b_names, levels["name"])
    return {
        "rows": rs,
        "idx": js,
        "levels": levels,
        "meters": meters,
        "tf": tf,
        "weight": total,
        "support": support,
        "lookalike": lookalikes(levels),
        "contradicted": contradicted(levels),
        "kinds": kind_of(levels["distance"]),
        "together": features.together(levels),
        "model": model,
    }


def _generic_extra(
    registry: Registry, countries: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Per pair of names one inside the other: are the words one has that the other
    lacks (`features.extra_words`) all carried by `features.GENERIC_WORD_COUNT` or more
    registry facilities of the country? (One lookup in the index for all pairs.)"""
    extras = [sorted(features.extra_words(x, y)) for x, y in zip(a, b, strict=True)]
    keys = [f"{c}|w|{w}" for c, ws in zip(countries, extras, strict=True) for w in ws]
    dfs = blocking.frequencies(registry.index, keys)
    out = np.zeros(len(extras), dtype=bool)
    at = 0
    for i, ws in enumerate(extras):
        found = dfs[at : at + len(ws)]
        out[i] = bool(ws) and min(found) >= features.GENERIC_WORD_COUNT
        at += len(ws)
    return out


def _nearby_counts(
    registry: Registry,
    ks: np.ndarray,
    countries: np.ndarray,
    a_joined: np.ndarray,
    b_joined: np.ndarray,
    js: np.ndarray,
    lat: np.ndarray,
    lng: np.ndarray,
) -> np.ndarray:
    """Per pair: the distance from the row's point of the nearest registry place other
    than the candidate (`js`) that carries the row's or the candidate's name
    (`features.joined_name`) in the row's country; inf when none lies within
    `features.NEARBY_METERS`."""
    q = pl.DataFrame(
        {
            "k": np.arange(len(ks), dtype=np.int64),
            "country": countries.tolist(),
            "a": a_joined.tolist(),
            "b": b_joined.tolist(),
            "cand": js.astype(np.int64),
            "rlat": lat.astype(np.float64),
            "rlng": lng.astype(np.float64),
        },
        schema={
            "k": pl.Int64,
            "country": pl.String,
            "a": pl.String,
            "b": pl.String,
            "cand": pl.Int64,
            "rlat": pl.Float64,
            "rlng": pl.Float64,
        },
    )
    wanted = (
        pl.concat(
            [
                q.select("k", "country", "cand", "rlat", "rlng", joined="a"),
                q.select("k", "country", "cand", "rlat", "rlng", joined="b"),
            ]
        )
        .filter(pl.col("joined") != "")
        .unique(["k", "joined"])
    )
    found = wanted.join(
        registry.placed().select("country", "joined", "j", "lat", "lng"), on=["country", "joined"]
    ).filter(pl.col("j") != pl.col("cand"))
    out = np.full(len(ks), np.inf)
    if not found.height:
        return out
    # The candidate's twin is the candidate's place, not another one (features.twins).
    found = found.filter(
        ~pl.Series(_twins_of(registry, found["cand"].to_numpy(), found["j"].to_numpy()))
    )
    if not found.height:
        return out
    meters = features.distances_m(
        found["rlat"].to_numpy(),
        found["rlng"].to_numpy(),
        found["lat"].to_numpy(),
        found["lng"].to_numpy(),
    )
    nearest = (
        found.select("k", m=pl.Series(meters))
        .filter(pl.col("m") <= features.NEARBY_METERS)
        .group_by("k")
        .agg(pl.col("m").min())
    )
    out[nearest["k"].to_numpy()] = nearest["m"].to_numpy()
    return out


def _probability(bits: float) -> float:
    if bits > 60:
        return 1.0
    return 2.0**bits / (1.0 + 2.0**bits)


def explain(scored: dict[str, Any], k: int, country: str) -> list[dict[str, Any]]:
    """The evidence of pair k in words and weights (bits), for people and a UI."""
    lv = {c: int(scored["levels"][c][k]) for c in features.COMPARISONS}
    kind = KINDS[int(scored["kinds"][k])]
    w = scored["model"].table(kind)
    out: list[dict[str, Any]] = [
        {"field": "prior", "level": "a candidate pair", "weight": round(float(w["prior"][0]), 2)}
    ]
    # The operator's name set aside (features.operator_levels): its weight stands in for
    # the name's, and the name entry says so (the whole names' level beside it).
    operator = scored["model"].operator_bits(kind) if lv.get("name_operator") == 1 else None
    for comp, levels in features.COMPARISONS.items():
        if comp in ("name_word", "name_nearby", "name_operator") and lv[comp] == 0:
            continue  # not compared: nothing to show
        if comp == "name_operator":
            continue  # shown as the name's level
        entry: dict[str, Any] = {
            "field": comp,
            # Name: the base level ("exact"); how common the name is goes in the detail.
            "level": features.NAME_BASE[lv[comp]] if comp == "name" else levels[lv[comp]],
            "weight": round(float(w[comp][lv[comp]]), 2),
        }
        if comp == "name" and operator is not None:
            entry["level"] = features.OPERATOR_NAME_LEVEL
            entry["weight"] = round(operator, 2)
            entry["whole"] = features.NAME_BASE[lv[comp]]
            entry["detail"] = f"as whole names: {entry['whole']}"
        if comp == "distance" and not math.isnan(scored["meters"][k]):
            entry["detail"] = f"{round(float(scored['meters'][k]))} m"
            entry["meters"] = round(float(scored["meters"][k]))
        out.append(entry)
        if comp == "name" and lv[comp] in features.AGREEING_NAME_LEVELS:
            count = int(scored["tf"][k])
            entry["count"] = count
            entry["detail"] = (
                f"{count} facilities in {country} carry this name (or its rarest word)"
                if count > 1
                else f"no other facility in {country} carries this name"
            )
    for t, (name, words) in enumerate(features.TOGETHER):
        if scored["together"][k, t]:
            out.append(
                {
                    "field": "together",
                    "level": name,
                    "weight": round(float(w["together"][t]), 2),
                    "detail": words,
                }
            )
    return out


def _match_frame(
    registry: Registry, frame: pl.DataFrame, progress: Any | None, context: ListContext | None
) -> list[MatchResult]:
    rows = _clean(frame, normalised=False)
    pairs = blocking.candidates(registry.index, rows)
    scored = score_candidates(registry, rows, pairs, context)
    if progress is not None:
        progress(len(scored["rows"]), len(scored["rows"]))
    weight = np.asarray(scored["weight"], dtype=np.float64)
    # Best first within each row; ties keep the pair order (row, registry position),
    # as a stable sort of each row's pairs by weight would.
    order = np.lexsort((-weight, np.asarray(scored["rows"], dtype=np.int64)))
    rows_sorted = np.asarray(scored["rows"], dtype=np.int64)[order]
    starts = np.searchsorted(rows_sorted, np.arange(frame.height + 1))
    at = np.asarray(scored["idx"], dtype=np.int64)[order]
    ids = [registry.ids[j] for j in at.tolist()]
    weights = weight[order].tolist()
    # Python's float power, not numpy's: the probabilities stay bit for bit the same.
    probs = [_probability(w) for w in weights]
    supports = np.asarray(scored["support"], dtype=bool)[order].tolist()
    alike = np.asarray(scored["lookalike"], dtype=bool)[order].tolist()
    other = np.asarray(scored["contradicted"], dtype=bool)[order].tolist()
    # Every candidate at once (map and zip run in C; a loop calling `registry.record`
    # per pair took ~5 s of CPU for 1.8M pairs): the same values `registry.record` gives.
    records = zip(
        _objects(registry.countries)[at].tolist() if len(at) else [],
        registry.joined_arr[at].tolist(),
        registry.addresses_arr[at].tolist(),
        registry.lat[at].tolist(),
        registry.lng[at].tolist(),
        strict=True,
    )
    everyone = list(
        map(
            Candidate,
            ids,
            probs,
            weights,
            ([] for _ in weights),
            supports,
            alike,
            other,
            records,
        )
    )
    bounds = starts.tolist()
    countries = rows["country"].to_list()
    results = []
    for r in range(frame.height):
        cands = everyone[bounds[r] : bounds[r + 1]]
        if cands:
            lo = bounds[r]
            cands[0].explanation = explain(scored, int(order[lo]), countries[r])
        results.append(decide(cands, registry.model))
    return results


def rivals(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that compete with the first one for the row: all of them, but
    where the first has evidence beyond the name (`Candidate.support`) and nothing
    against it, not those whose address or place says they are another place
    (`Candidate.contradicted`): a namesake at another address or over 1 km away
    is no reason to doubt a candidate at the row's own address or place."""
    if not candidates:
        return []
    best = candidates[0]
    # The best candidate's twins are its own place (features.twins), never rivals.
    others = [c for c in candidates[1:] if not same_place(best, c)]
    if not best.support or best.contradicted:
        return [best, *others]
    return [best, *(c for c in others if not c.contradicted)]


def same_place(a: Candidate, b: Candidate) -> bool:
    """Are two candidates one place the registry holds twice (`features.twins`)?"""
    if a.record is None or b.record is None or a.record[1] != b.record[1]:
        return False
    return features.twin(a.record, b.record)


def row_probability(candidates: Sequence[Candidate]) -> float:
    """Probability that the first candidate is the row's facility, among these
    candidates and "none of them": 2^w1 / (1 + sum 2^wk) over its `rivals`. A
    runner-up nearly as good as the best halves it; no runner-up leaves the pair's
    own probability."""
    candidates = rivals(candidates)
    if not candidates:
        return 0.0
    top = max(c.weight for c in candidates)
    if top > 60:  # scale to avoid overflow; 1 + ... is then negligible
        odds = [2.0 ** (c.weight - top) for c in candidates]
        return odds[0] / sum(odds)
    odds = [2.0**c.weight for c in candidates]
    return odds[0] / (1.0 + sum(odds))


def decide(candidates: Sequence[Candidate], model: Model) -> MatchResult:
    """Status for a row from its scored candidates (best first)."""
    cands = list(candidates)
    shown = [(c.facility_id, round(100 * c.probability, 1)) for c in cands[:5]]
    p = row_probability(cands)
    # Worth a look: the best candidate is likely enough on its own (a facility the
    # registry holds twice splits the row probability between its two records, and
    # that is when a person is needed most), or it is a look-alike next door, however
    # unlikely (see model.lookalikes).
    if not cands or (
        cands[0].probability < model.review and p < model.review and not cands[0].lookalike
    ):
        best = cands[0] if cands else None
        return MatchResult(
            None,
            round(100 * p, 1),
            NEW,
            shown,
            best.explanation if best else [],
            cands,
        )
    best = cands[0]
    # The best candidate's twins (one place registered twice, `same_place`) are named as
    # such, so a person can merge the records; the runner-up is the next other place.
    twins = [c for c in cands[1:] if c.facility_id != best.facility_id and same_place(best, c)]
    named = {id(c) for c in twins}
    runner = next(
        (c for c in cands[1:] if c.facility_id != best.facility_id and id(c) not in named), None
    )
    explanation = list(best.explanation)
    for twin in twins:
        explanation.append(
            {
                "field": "same_place",
                "level": str(twin.facility_id),
                "weight": round(twin.weight, 2),
                "detail": f"facility {twin.facility_id}: the same place, registered twice",
            }
        )
    if runner is not None:
        explanation.append(
            {
                "field": "runner_up",
                "level": str(runner.facility_id),
                "weight": round(runner.weight, 2),
                "detail": f"facility {runner.facility_id}: {round(100 * runner.probability, 1)}%",
            }
        )
    automatic = p >= model.automatic and best.support
    return MatchResult(
        best.facility_id,
        round(100 * p, 1),
        AUTOMATIC if automatic else PENDING,
        shown,
        explanation,
        cands,
    )


def platform_model_path() -> Path:
    """Where `imvo match train` writes the platform's own model (beside its data)."""
    from django.conf import settings

    return Path(settings.VAR_DIR) / "matching" / "model.json"


def current_model() -> Model:
    """The platform's trained model when `imvo match train` wrote one, else the shipped one."""
    path = platform_model_path()
    if not path.is_file():
        return load()
    try:
        return load(path)
    except ValueError as e:
        # A model trained by an older version (other comparisons): the shipped one
        # until `imvo match train` fits the platform's decisions again.
        import logging

        logging.getLogger(__name__).warning("%s: %s; using the shipped model", path, e)
        return load()
