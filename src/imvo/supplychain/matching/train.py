"""Estimating the model's evidence (labelled level combinations) from labelled data.

Two kinds of labelled data:

- a *task*: a registry, a list and the truth (which registry record each list
  row is, or none). Every candidate pair that blocking produces is a labelled
  pair: the true record is a match, every other candidate a non-match. This is
  how the shipped model was estimated (see `trained_on` in model.json).
- *pairs*: single (record, record, same or not) verdicts, like the Open Supply
  Hub labelled pairs and the decisions people make on the review screen
  (`LabelledPair`).

Counting over blocked candidates (not random pairs) makes the probabilities
mean "of the candidates a row is shown, how likely is this one".
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from imvo.supplychain import matching
from imvo.supplychain.matching import blocking, features
from imvo.supplychain.matching.features import COMPARISONS
from imvo.supplychain.matching.model import Model
from imvo.supplychain.normalise import normalise_address, normalise_name


@dataclass
class Pair:
    name: str
    address: str
    lat: float | None
    lng: float | None
    other_name: str
    other_address: str
    other_lat: float | None
    other_lng: float | None
    is_match: bool
    # The list the row came from (a key of `model_from_pairs`'s `lists`), None: unknown.
    group: Any = None


def _f(v: float | None) -> float:
    return float("nan") if v is None else float(v)


def model_from_pairs(
    pairs: Sequence[Pair],
    label: str,
    lists: Mapping[Any, tuple[Sequence[str], Sequence[str]]] | None = None,
) -> Model:
    """Counts from single labelled pairs (values as people typed them). `lists`: per
    `Pair.group`, the names and addresses of the list the row came from, from which
    its operator names and places are read (`features.operator_prefixes`,
    `features.address_words`; no registry here to count words in, so any word that is
    no place of the list is a site word); a pair without one never reads that level."""
    model = Model.empty()
    if not pairs:
        return model
    names = [normalise_name(p.name) for p in pairs]
    others = [normalise_address(p.other_address) for p in pairs]
    prefix = np.zeros(len(pairs), dtype=np.int64)
    places: dict[Any, frozenset[str]] = {}
    for group, (list_names, list_addresses) in (lists or {}).items():
        cleaned = [normalise_name(n) for n in list_names]
        found = dict(zip(cleaned, features.operator_prefixes(cleaned), strict=True))
        places[group] = features.address_words([normalise_address(a) for a in list_addresses])
        for k, p in enumerate(pairs):
            if p.group == group:
                prefix[k] = found.get(names[k], 0)

    def site_words(ks: np.ndarray, rests: list[list[str]]) -> np.ndarray:
        return np.array(
            [
                features.site_words([rest], places[pairs[k].group], [others[k]])[0]
                for k, rest in zip(ks.tolist(), rests, strict=True)
            ],
            dtype=bool,
        )

    levels, _ = matching.pair_levels(
        names,
        [normalise_address(p.address) for p in pairs],
        np.array([_f(p.lat) for p in pairs]),
        np.array([_f(p.lng) for p in pairs]),
        [normalise_name(p.other_name) for p in pairs],
        others,
        np.array([_f(p.other_lat) for p in pairs]),
        np.array([_f(p.other_lng) for p in pairs]),
        operator_prefix=prefix if places else None,
        site_words=site_words,
    )
    model.add(levels, np.array([p.is_match for p in pairs]))
    model.trained_on = [f"{label}: {len(pairs)} labelled pairs"]
    return model.fit()


def model_from_task(
    registry: pl.DataFrame,
    rows: pl.DataFrame,
    truth: Sequence[set[str]],
    label: str,
    settings: blocking.Blocking | None = None,
) -> tuple[Model, float]:
    """Counts from a list matched against a registry with known truth (truth[i]: the
    registry ids that are right for row i, empty = not in the registry). Returns the
    model and the candidate recall (share of rows in the registry whose true record
    reached scoring)."""
    prepared = matching.prepare_registry(registry, model=Model.empty(), settings=settings)
    clean = matching._clean(rows, normalised=False)
    pairs = blocking.candidates(prepared.index, clean)
    scored = matching.score_candidates(prepared, clean, pairs)
    ids = prepared.ids
    is_match = np.array(
        [str(ids[j]) in truth[r] for r, j in zip(scored["rows"], scored["idx"], strict=True)],
        dtype=bool,
    )
    model = Model.empty()
    model.add(scored["levels"], is_match)
    if (scored["levels"]["distance"] > 0).any():
        # The same pairs as a list without coordinates would give them: what teaches the
        # weights of the "no_coordinates" table beside the sets that lack coordinates.
        none = np.zeros(len(is_match), np.int8)
        model.add({**scored["levels"], "distance": none, "name_nearby": none}, is_match)
    found = {r for r, ok in zip(scored["rows"], is_match, strict=True) if ok}
    positives = [i for i, t in enumerate(truth) if t]
    recall = sum(1 for i in positives if i in found) / len(positives) if positives else 1.0
    model.trained_on = [f"{label}: {len(truth)} list rows, {len(is_match)} candidate pairs"]
    return model.fit(), recall


BALANCED_TOTAL = 1000.0


def balanced(
    model: Model, prior: bool = True, non_matches: bool = True, copies: float = 1.0
) -> Model:
    """The model's evidence scaled so its matches total BALANCED_TOTAL (per kind: with
    and without coordinates): every labelled set then weighs the same, however many
    pairs it has (a 26,000-place set must not drown a 500-row one whose kind of data,
    like supplier lists, differs). Non-matches keep their ratio to matches (the share
    of candidates that match: the prior). `prior=False` (single labelled pairs, whose
    share of matches says nothing about candidates): non-matches scaled to the same
    total as matches. `non_matches=False`: the non-matching pairs do not count
    (hand-picked hard negatives, like the Open Supply Hub "distinct" pairs, would make
    every name agreement look common among non-matches). `copies`: the share the
    set's pairs *with their distance removed* (`model_from_task`'s copies that teach
    the "no_coordinates" table) keep, see GEOER_FOLDS."""
    n = len(COMPARISONS)
    rows = [r for k in model.evidence for r in model.evidence[k]]
    yes = sum(r[n] for r in rows) or 1.0
    no = sum(r[n + 1] for r in rows)
    if not non_matches:
        out = model.scaled(BALANCED_TOTAL, None)
    else:
        out = model.scaled(BALANCED_TOTAL, BALANCED_TOTAL * (no / yes if prior else 1.0))
    if copies != 1.0:
        out.evidence["no_coordinates"] = [
            [*r[:n], r[n] * copies, r[n + 1] * copies] for r in out.evidence["no_coordinates"]
        ]
        out.fit()
    return out


def combine(models: Iterable[Model], base: Model | None = None) -> Model:
    """The models' evidence together (thresholds from `base`), fitted."""
    out = Model.from_dict((base or Model.empty()).to_dict())
    for m in models:
        out = out.merged(m)
    return out.fit()


def figures(results: Sequence[matching.MatchResult], truth: Sequence[set[str]]) -> dict[str, float]:
    """Automatic precision, automatic recall (of rows whose place is in the registry)
    and the share pending, as ../shared/data/matching-benchmarks/score.py counts them."""
    auto = auto_ok = pending = 0
    positives = sum(1 for t in truth if t)
    for r, t in zip(results, truth, strict=True):
        if r.status == matching.AUTOMATIC:
            auto += 1
            auto_ok += str(r.facility_id) in t
        elif r.status == matching.PENDING:
            pending += 1
    nan = float("nan")
    return {
        "precision": auto_ok / auto if auto else nan,
        "recall": auto_ok / positives if positives else nan,
        "pending": pending / len(truth) if truth else nan,
    }


def evaluate_task(
    model: Model, registry: pl.DataFrame, rows: pl.DataFrame, truth: Sequence[set[str]]
) -> dict[str, float]:
    prepared = matching.prepare_registry(registry, model=model)
    return figures(matching.match_frame(prepared, rows), truth)


def evaluate_pairs(
    model: Model, pairs: Sequence[Pair], countries: Sequence[str]
) -> dict[str, float]:
    """Each pair as a one-row list against a one-facility registry."""
    results, truth = [], []
    for p, country in zip(pairs, countries, strict=True):
        reg = pl.DataFrame(
            {
                "id": ["b"],
                "name": [p.other_name],
                "address": [p.other_address],
                "country": [country],
                "lat": [p.other_lat],
                "lng": [p.other_lng],
            },
            schema_overrides={"lat": pl.Float64, "lng": pl.Float64},
        )
        row = pl.DataFrame(
            {
                "name": [p.name],
                "address": [p.address],
                "country": [country],
                "lat": [p.lat],
                "lng": [p.lng],
            },
            schema_overrides={"lat": pl.Float64, "lng": pl.Float64},
        )
        results.append(matching.match_frame(matching.prepare_registry(reg, model=model), row)[0])
        truth.append({"b"} if p.is_match else set())
    return figures(results, truth)


def shared_tasks() -> list[tuple[str, tuple[pl.DataFrame, pl.DataFrame, list[set[str]]]]]:
    """The real benchmark tasks in ../shared/data/matching-benchmarks (development
    machines only; $IMVO_SHARED_DATA overrides the place). Empty when absent."""
    import csv

    root = _shared_root()
    out = []
    for name in ("chicago_dfss", "geoer_osm_fsq"):
        d = root / "matching-benchmarks" / name
        if not (d / "truth.csv").is_file():
            continue
        registry = pl.read_csv(d / "registry.csv", infer_schema=False)
        rows = pl.read_csv(d / "list.csv", infer_schema=False)
        truth: dict[int, set[str]] = {}
        with (d / "truth.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                truth[int(r["row"])] = {x for x in r["registry_id"].split("|") if x}
        out.append((name, (registry, rows, [truth.get(i + 2, set()) for i in range(rows.height)])))
    return out


def _shared_root() -> Path:
    """$IMVO_SHARED_DATA, else ../shared/data beside the repository this code runs from
    (a source checkout: the repository holds src/imvo/supplychain/matching/), else
    beside the current folder (an installed package run from a checkout's folder)."""
    if os.environ.get("IMVO_SHARED_DATA"):
        return Path(os.environ["IMVO_SHARED_DATA"])
    beside_repo = Path(__file__).resolve().parents[5] / "shared" / "data"
    return beside_repo if beside_repo.is_dir() else Path.cwd().parent / "shared" / "data"


def shared_pairs() -> list[tuple[Pair, str]]:
    """Open Supply Hub's 112 labelled pairs in ../shared/data (development machines
    only), each with the first record's country. Empty when absent."""
    path = _shared_root() / "open-supply-hub" / "labelled_pairs.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for label, is_match in (("match", True), ("distinct", False)):
        for item in data[label]:
            a, b = item["__value__"]
            pair = Pair(
                a["name"], a["address"], None, None, b["name"], b["address"], None, None, is_match
            )
            out.append((pair, a["country"].upper()))
    return out


# The Geo-ER cities in two folds: two sets of their own (each weighs as much as
# chicago), and the benchmark scores each fold with a model that has not seen it.
# Their copies without coordinates (what teaches the "no_coordinates" table, used by
# lists without coordinates) come from one source, a simulation of such a list: the
# two folds' copies together weigh as one set there (GEOER_COPIES each), beside
# chicago and the Open Supply Hub pairs, which are real lists without coordinates.
# Measured in docs/supplychain.md ("geoer's copies weigh as one set").
GEOER_FOLDS = {"geoer_osm_fsq SG+GB": ("SG", "GB"), "geoer_osm_fsq CA+US": ("CA", "US")}
GEOER_COPIES = 1.0 / len(GEOER_FOLDS)


def shipped_sets() -> dict[str, Model]:
    """The per-set models the shipped model.json is combined from, balanced (every set
    weighs the same; the OSH pairs for their matches only, see `balanced`): chicago_dfss,
    the two Geo-ER folds and the Open Supply Hub pairs, from ../shared/data.
    `benchmarks/bench_matching_real.py` combines them with one left out (held out)."""
    out: dict[str, Model] = {}
    for name, (registry, rows, truth) in shared_tasks():
        if name == "geoer_osm_fsq":
            for label, countries in GEOER_FOLDS.items():
                keep = rows["country"].is_in(list(countries))
                fold_truth = [t for t, k in zip(truth, keep.to_list(), strict=True) if k]
                fold = registry.filter(pl.col("country").is_in(list(countries)))
                model, _ = model_from_task(fold, rows.filter(keep), fold_truth, label=label)
                out[label] = balanced(model, copies=GEOER_COPIES)
        else:
            model, _ = model_from_task(registry, rows, truth, label=name)
            out[name] = balanced(model)
    pairs = [p for p, _ in shared_pairs()]
    if pairs:
        osh = model_from_pairs(pairs, "open-supply-hub pairs")
        out["open-supply-hub pairs"] = balanced(osh, prior=False, non_matches=False)
    return out


def shipped_model() -> Model:
    """The shipped model.json, estimated again from the real sets (`shipped_sets`), with
    `Model`'s default thresholds: what `imvo match train --shared` writes."""
    return combine(shipped_sets().values())
