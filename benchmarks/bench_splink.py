"""Benchmark: Splink (5.x, DuckDB backend) against our matcher, on the same real
labelled tasks and the same synthetic scale run (issue 13, item 3: "use Splink ...
replace it only with a measured reason").

Splink is not a dependency of the platform; this script needs the optional extra:

    .venv/bin/uv pip install -e ".[bench]"     # or: .venv/bin/uv pip install splink

    .venv/bin/python benchmarks/bench_splink.py [--scale 10000x100000] [--scale ...]

The Splink model, made as well as we could (what a careful Splink user would build):

- **Cleaning**: the platform's own (`imvo.supplychain.normalise`, through
  `matching._clean`): both matchers see the same names and addresses.
- **Blocking**: our keys, as Splink array blocking (`block_on("keys",
  arrays_to_explode=["keys"])`, one rule over the union): name words, two adjacent
  words joined, 4-letter prefixes of longer words, the first 8 letters of the
  joined name (`blocking._name_keys`); house number + street word and 5+ digit
  numbers (`blocking._address_keys`); the ~550 m geo cell of a registry record
  against the 3 x 3 cells around a list row. All keys carry the country. As in
  ours, keys held by more than 200 registry records of a country are dropped, and a
  row left with no key keeps its rarest. Unlike ours there is no top-k by IDF:
  Splink scores every pair that shares a key (more pairs, never fewer).
- **Comparisons**: name (exact with term-frequency adjustment / same without
  spaces / Jaro-Winkler >= 0.95 / one name's words all in the other's /
  Jaro-Winkler >= 0.88 / >= 0.75 / else); address (exact with term-frequency
  adjustment / same house number + street / house numbers differ / Jaro-Winkler
  >= 0.9 / >= 0.7 / else; missing = null level, no evidence); postcode exact;
  distance (Splink's great-circle `DistanceInKMAtThresholds`: 50 m, 200 m, 1 km,
  5 km, else; missing = null); country exact.
- **Training**, held out exactly as `bench_matching_real.py` holds out ours
  (chicago by geoer + OSH pairs; geoer CA+US by SG+GB + chicago + OSH and the other
  way round; OSH pairs by chicago + geoer): m from the training sets' labelled
  matches (`estimate_m_from_pairwise_labels`), u by random sampling
  (`estimate_u_using_random_sampling`, 1e7 pairs, seed 1) over the training
  records ("random u"); the prior per scored set = the training sets' share of
  list rows that have a match / the scored registry's size (a one-facility
  registry for an OSH pair). A second model ("candidate u", `candidate_u`) counts
  u among the training sets' blocked pairs that are not matches, the prior then
  per candidate.
- **Decision**, our rule: best candidate per row; the row weight in bits,
  w1 - log2(1 + sum of 2^wk over the row's other candidates) (our row probability
  as log-odds; w = Splink's match weight: its probabilities reach 1.0 in floating
  point where the weights still differ); automatic when it is >= T_auto, pending
  when it or the best pair's own weight is >= T_pending, else new. T_auto = the
  lowest whole number of bits with automatic precision >= 0.97 on every training
  list task (not the OSH pairs: one-facility registries, another prior);
  T_pending: down from T_auto one bit at a time while that band's proposals are
  right at least one time in four (ours reads its 0.25 the same way). Two pairs of
  thresholds, as ours keeps two weight tables: for rows whose best pair has
  coordinates (chosen on the training sets with coordinates) and for the others
  (chosen on every training set with its coordinates removed). "+ guard" adds our
  rule: automatic only with evidence beyond the name (address exact / same number
  and street / Jaro-Winkler >= 0.7, or within 200 m), else pending. "T seen" lines
  are upper lines, not held out: thresholds chosen on the scored set itself.

Each fold and each matcher runs in its own child process (spawned), so peak
memory (ru_maxrss) is that run's: training and scoring for Splink, the held-out
model's estimation and the matching for ours. Seconds = scoring the held-out set
(Splink: register, blocking, comparisons, prediction, decisions; ours:
`prepare_registry` + `match_frame`).

Scale: the synthetic list/registry of `bench_supplychain_match.py` (no
coordinates), Splink with the model trained on all real sets, against our
matcher reading and indexing the same registry CSV (`run_ours` without a saved
index): wall seconds, peak RSS, automatic precision and recall.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import SHARED_DATA, peak_mb

# train.shipped_sets (our held-out models) finds ../shared from the working
# directory; the benchmark's own rule (harness.SHARED_DATA) holds for both matchers.
os.environ.setdefault("IMVO_SHARED_DATA", str(SHARED_DATA))

INSTALL = '.venv/bin/uv pip install -e ".[bench]"   (or: .venv/bin/uv pip install splink)'
FOLDS = ("chicago_dfss", "geoer CA+US", "geoer SG+GB", "osh pairs")
TRAINING = {
    "chicago_dfss": ("geoer CA+US", "geoer SG+GB", "osh pairs"),
    "geoer CA+US": ("geoer SG+GB", "chicago_dfss", "osh pairs"),
    "geoer SG+GB": ("geoer CA+US", "chicago_dfss", "osh pairs"),
    "osh pairs": ("chicago_dfss", "geoer CA+US", "geoer SG+GB"),
}
MAX_BLOCK = 200  # blocking.Blocking().max_block
U_PAIRS = 1e7
TARGET_PRECISION = 0.97
GRID = [float(b) for b in range(-20, 41)]  # row match weight, bits (0 = probability 0.5)


def splink_missing() -> bool:
    try:
        import splink  # noqa: F401
    except ImportError:
        return True
    return False


# ---------------------------------------------------------------- data


def tasks() -> dict[str, tuple[Any, Any, list[set[str]]]]:
    """Every scored set as (registry, list, truth per list row), as bench_matching_real
    loads them; the OSH pairs as a list of their first records against a registry of
    their second ones (each row compared only with its own pair)."""
    import polars as pl
    from bench_matching_real import load_task
    from harness import osh_labelled_pairs

    out = {"chicago_dfss": load_task("chicago_dfss")}
    geo_reg, geo_rows, geo_truth = load_task("geoer_osm_fsq")
    for name, countries in (("geoer CA+US", ["CA", "US"]), ("geoer SG+GB", ["SG", "GB"])):
        keep = geo_rows["country"].is_in(countries)
        truth = [t for t, k in zip(geo_truth, keep.to_list(), strict=True) if k]
        out[name] = (
            geo_reg.filter(pl.col("country").is_in(countries)),
            geo_rows.filter(keep),
            truth,
        )
    pairs = osh_labelled_pairs()
    registry = pl.DataFrame(
        {
            "id": [f"p{i}" for i in range(len(pairs))],
            "name": [b["name"] for _, b, _ in pairs],
            "address": [b["address"] for _, b, _ in pairs],
            "country": [b["country"].upper() for _, b, _ in pairs],
        }
    )
    rows = pl.DataFrame(
        {
            "name": [a["name"] for a, _, _ in pairs],
            "address": [a["address"] for a, _, _ in pairs],
            "country": [a["country"].upper() for a, _, _ in pairs],
        }
    )
    out["osh pairs"] = (
        registry,
        rows,
        [{f"p{i}"} if p.is_match else set() for i, (_, _, p) in enumerate(pairs)],
    )
    return out


_POSTCODE = (
    r"\b[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}\b"  # GB
    r"|\b[a-z][0-9][a-z] ?[0-9][a-z][0-9]\b"  # CA
    r"|\b[0-9]{5,6}\b"  # US, SG, most others
)


def records(frame: Any, prefix: str, ids: list[str] | None = None) -> Any:
    """Splink's input: cleaned name and address (ours), name words, name without
    spaces, address key (house number + street), house numbers, postcode, country,
    lat, lng, and the record's blocking keys before pruning."""
    import polars as pl

    from imvo.supplychain.matching import _clean, blocking

    clean = _clean(frame, normalised=False)
    ids = ids if ids is not None else [str(i) for i in range(frame.height)]
    name_keys = blocking._name_keys(clean)
    addr_keys = blocking._address_keys(clean)
    street = (
        addr_keys.filter(pl.col("key").str.contains(r"^[^|]*\|a\|"))
        .group_by("idx")
        .agg(addr_key=pl.col("key").str.replace(r"^[^|]*\|a\|", "").sort().first())
    )
    keys = pl.concat([name_keys, addr_keys]).group_by("idx").agg(keys=pl.col("key"))
    out = (
        clean.with_columns(
            unique_id=pl.Series([f"{prefix}{i}" for i in ids]),
            name=pl.when(pl.col("name") != "").then(pl.col("name")),
            address=pl.when(pl.col("address") != "").then(pl.col("address")),
        )
        .with_columns(
            name_words=pl.col("name").str.split(" "),
            name_joined=pl.col("name").str.replace_all(" ", ""),
            addr_nums=pl.col("address")
            .str.extract_all(r"\b[0-9]{1,4}[a-z]?\b")
            .list.eval(pl.element().str.strip_chars_start("0"))
            .list.unique(),
            postcode=pl.col("address").str.extract(f"({_POSTCODE})", 1).str.replace_all(" ", ""),
        )
        .join(street, on="idx", how="left")
        .join(keys, on="idx", how="left")
    )
    return out


def pruned_keys(registry: Any, rows: Any) -> tuple[Any, Any]:
    """The blocking keys as ours prunes them: keys of more than MAX_BLOCK registry
    records dropped (a row left with none keeps its rarest); the geo cell of a
    registry record, the 3 x 3 cells around a list row."""
    import polars as pl

    from imvo.supplychain.matching.blocking import CELLS_PER_DEGREE

    reg_k = registry.select("idx", "keys").explode("keys").drop_nulls()
    freq = reg_k.group_by("keys").len()
    common = freq.filter(pl.col("len") > MAX_BLOCK)["keys"]
    row_k = (
        rows.select("idx", "keys")
        .explode("keys")
        .drop_nulls()
        .join(freq, on="keys", how="inner")
        .sort("idx", "len", "keys")
    )
    kept = row_k.filter(pl.col("len") <= MAX_BLOCK)
    fallback = row_k.filter(~pl.col("idx").is_in(kept["idx"].unique())).group_by("idx").first()
    row_k = pl.concat([kept, fallback]).select("idx", "keys")
    reg_k = reg_k.filter(~pl.col("keys").is_in(common) | pl.col("keys").is_in(fallback["keys"]))

    def cells(frame: Any, around: bool) -> Any:
        f = frame.filter(pl.col("lat").is_not_null() & pl.col("lng").is_not_null()).select(
            "idx",
            "country",
            cy=(pl.col("lat") * CELLS_PER_DEGREE).floor().cast(pl.Int32),
            cx=(pl.col("lng") * CELLS_PER_DEGREE).floor().cast(pl.Int32),
        )
        steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)] if around else [(0, 0)]
        return pl.concat(
            [
                f.select(
                    "idx",
                    keys=pl.col("country")
                    + "|c|"
                    + (pl.col("cy") + dy).cast(pl.String)
                    + "|"
                    + (pl.col("cx") + dx).cast(pl.String),
                )
                for dy, dx in steps
            ]
        )

    def attach(frame: Any, k: Any) -> Any:
        grouped = k.group_by("idx").agg(pl.col("keys").unique())
        return (
            frame.drop("keys")
            .join(grouped, on="idx", how="left")
            .with_columns(pl.col("keys").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        )

    return (
        attach(registry, pl.concat([reg_k, cells(registry, False)])),
        attach(rows, pl.concat([row_k, cells(rows, True)])),
    )


# ---------------------------------------------------------------- the Splink model


def settings(prior: float) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.CustomLevel("name_joined_l = name_joined_r", "same without spaces"),
            cll.JaroWinklerLevel("name", 0.95),
            cll.ArraySubsetLevel("name_words"),
            cll.JaroWinklerLevel("name", 0.88),
            cll.JaroWinklerLevel("name", 0.75),
            cll.ElseLevel(),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("address"),
            cll.ExactMatchLevel("address", term_frequency_adjustments=True),
            cll.CustomLevel("addr_key_l = addr_key_r", "same house number and street"),
            cll.CustomLevel(
                "len(addr_nums_l) > 0 AND len(addr_nums_r) > 0"
                " AND len(list_intersect(addr_nums_l, addr_nums_r)) = 0",
                "house numbers differ",
            ),
            cll.JaroWinklerLevel("address", 0.9),
            cll.JaroWinklerLevel("address", 0.7),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[
            name,
            address,
            cl.ExactMatch("postcode"),
            cl.DistanceInKMAtThresholds("lat", "lng", [0.05, 0.2, 1, 5]),
            cl.ExactMatch("country"),
        ],
        blocking_rules_to_generate_predictions=[block_on("keys", arrays_to_explode=["keys"])],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


# Levels (gamma) of our guard: automatic needs one of them.
ADDRESS_SUPPORT = {5, 4, 2, 1}  # exact, same number + street, JW >= 0.9, >= 0.7
DISTANCE_SUPPORT = {4, 3}  # <= 50 m, <= 200 m

COLUMNS = [
    "unique_id",
    "name",
    "name_words",
    "name_joined",
    "address",
    "addr_key",
    "addr_nums",
    "postcode",
    "country",
    "lat",
    "lng",
    "keys",
]


def prepared(name: str, registry: Any, rows: Any) -> tuple[Any, Any]:
    ids = [str(i) for i in registry["id"].to_list()]
    reg = records(registry, f"{name}|", ids)
    lst = records(rows, f"{name}|")
    reg, lst = pruned_keys(reg, lst)
    return reg.select(COLUMNS), lst.select(COLUMNS)


def duckdb_api() -> Any:
    from splink import DuckDBAPI

    db = DuckDBAPI()
    db.duckdb_con.execute("SET enable_progress_bar = false")
    return db


def train(sets: dict[str, tuple[Any, Any, list[set[str]]]], names: tuple[str, ...]) -> dict:
    """A Splink model from the named sets: u by random sampling over their records,
    m from their labelled matches. Returns the settings dictionary (json-able)."""
    import logging

    import polars as pl
    from splink import Linker

    regs, lsts, labels = [], [], []
    for name in names:
        registry, rows, truth = sets[name]
        reg, lst = prepared(name, registry, rows)
        regs.append(reg)
        lsts.append(lst)
        for i, t in enumerate(truth):
            for rid in t:
                labels.append((f"{name}|{i}", f"{name}|{rid}"))
    db = duckdb_api()
    a = db.register(pl.concat(lsts).to_arrow(), dataset_display_name="a_list")
    b = db.register(pl.concat(regs).to_arrow(), dataset_display_name="b_registry")
    linker = Linker([a, b], settings(0.0001), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1)
    table = pl.DataFrame(
        {
            "source_dataset_l": ["a_list"] * len(labels),
            "unique_id_l": [x for x, _ in labels],
            "source_dataset_r": ["b_registry"] * len(labels),
            "unique_id_r": [y for _, y in labels],
        }
    )
    lab = db.register(table.to_arrow(), dataset_display_name="labels")
    linker.training.estimate_m_from_pairwise_labels(lab)
    model = linker.misc.save_model_to_json()
    return model


def match_share(sets: dict, names: tuple[str, ...]) -> float:
    """Share of list rows that have a match, over the training list tasks."""
    got = [(sum(1 for t in sets[n][2] if t), len(sets[n][2])) for n in names if n != "osh pairs"]
    return sum(a for a, _ in got) / sum(b for _, b in got)


def predict(
    model: dict, name: str, registry: Any, rows: Any, share: float, candidate_prior: bool = False
) -> Any:
    """Every blocked pair of a set, scored: polars frame row, facility, w (Splink's
    match weight) and each comparison's level (gamma_*). The prior: the training
    sets' share of rows with a match over the registry's size, or, with
    `candidate_prior` (for a model whose u was counted among candidates), over the
    number of candidates per row."""
    import copy
    import logging
    import math

    import polars as pl
    from splink import Linker

    reg, lst = prepared(name, registry, rows)
    per_registry = 1 if name == "osh pairs" else max(1, registry.height)
    settings_dict = copy.deepcopy(model)
    prior = min(0.5, share / per_registry)
    settings_dict["probability_two_random_records_match"] = prior
    db = duckdb_api()
    a = db.register(lst.to_arrow(), dataset_display_name="a_list")
    b = db.register(reg.to_arrow(), dataset_display_name="b_registry")
    linker = Linker([a, b], settings_dict, log_level=logging.WARNING)
    if name == "osh pairs":  # each row with its own pair only (ours: a 1-facility registry)
        frames = []
        for i in range(lst.height):
            scored = linker.inference.score_pair(lst.row(i, named=True), reg.row(i, named=True))
            frames.append(
                pl.from_arrow(scored.as_duckdbpyrelation().arrow()).with_columns(
                    source_dataset_l=pl.lit("a_list"),
                    unique_id_l=pl.lit(lst["unique_id"][i]),
                    unique_id_r=pl.lit(reg["unique_id"][i]),
                )
            )
        out = pl.concat(frames, how="diagonal_relaxed")
    else:
        result = linker.inference.predict(warning_mode="never")
        out = pl.from_arrow(result.as_duckdbpyrelation().arrow())
    shift = 0.0
    if candidate_prior and name != "osh pairs" and out.height:
        # The prior only adds a constant to every weight: set it after the fact.
        per_row = out.height / max(1, lst.height)
        new = min(0.5, share / per_row)
        shift = math.log2(new / (1 - new)) - math.log2(prior / (1 - prior))
    left_is_list = pl.col("source_dataset_l") == "a_list"
    return out.select(
        row=pl.when(left_is_list).then("unique_id_l").otherwise("unique_id_r"),
        facility=pl.when(left_is_list).then("unique_id_r").otherwise("unique_id_l"),
        w=pl.col("match_weight").cast(pl.Float64) + shift,
        **{f"gamma_{c}": level_of(model, c, out[f"mw_{c}"]) for c in COMPARISONS},
    )


COMPARISONS = ("name", "address", "postcode", "lat_lng", "country")


def candidate_u(model: dict, scored: list[tuple[Any, list[set[str]]]]) -> dict:
    """The model with each level's u counted among the training sets' blocked
    candidate pairs that are not matches (instead of among random pairs): what a
    pair that reached scoring and is no match looks like (a chain's branch next
    door, another shop in the mall). m stays Splink's, from the labelled matches."""
    import copy

    import polars as pl

    out = copy.deepcopy(model)
    frames = []
    for frame, truth in scored:
        rows = frame["row"].str.split("|").list.get(1).cast(pl.Int64).to_list()
        facs = frame["facility"].str.split("|").list.get(1).to_list()
        is_match = [f in truth[r] for r, f in zip(rows, facs, strict=True)]
        frames.append(frame.with_columns(is_match=pl.Series(is_match)))
    pairs = pl.concat(frames).filter(~pl.col("is_match"))
    for comp in out["comparisons"]:
        col = f"gamma_{comp['output_column_name']}"
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        seen = pairs.filter(pl.col(col) >= 0)[col].value_counts()
        n = max(1, int(seen["count"].sum()))
        by_gamma = dict(zip(seen[col].to_list(), seen["count"].to_list(), strict=True))
        for j, lv in enumerate(levels):
            lv["u_probability"] = max(by_gamma.get(len(levels) - 1 - j, 0), 0.5) / n
    return out


def level_of(model: dict, comparison: str, weights: Any) -> Any:
    """Splink 5's predict output has each comparison's match weight (mw_*), not its
    level: the level is the one whose log2(m/u) the weight is (-1 = null)."""
    import math

    import polars as pl

    levels = next(c for c in model["comparisons"] if c["output_column_name"] == comparison)
    levels = levels["comparison_levels"]
    table: list[tuple[float, int]] = []
    gamma = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
    for lv in levels:
        if lv.get("is_null_level"):
            table.append((0.0, -1))
            continue
        m, u = lv.get("m_probability"), lv.get("u_probability")
        if m and u:
            table.append((math.log2(m / u), gamma))
        gamma -= 1
    ws = weights.cast(pl.Float64).to_list()
    return pl.Series(
        [-1 if w is None else min(table, key=lambda t, w=w: abs(t[0] - w))[1] for w in ws],
        dtype=pl.Int32,
    )


# ---------------------------------------------------------------- decisions


def best_per_row(scored: Any, n_rows: int, name: str) -> list[dict[str, Any]]:
    """Per list row: best facility, the row's match weight in bits (our row
    probability 2^w1 / (1 + sum 2^wk) as log-odds: w1 - log2(1 + sum over the other
    candidates of 2^wk)), the best pair's own weight w1, its guard levels, and every
    candidate facility. Bits, not probabilities: Splink's probabilities reach 1.0 in
    floating point where its weights still differ."""
    import math

    import polars as pl

    per = (
        scored.sort("w", descending=True)
        .group_by("row", maintain_order=True)
        .agg(
            pl.col("facility"),
            pl.col("w").first().alias("w1"),
            pl.col("w").slice(1).max().alias("w2"),
            pl.lit(2.0).pow(pl.col("w").slice(1) - pl.col("w").slice(1).max()).sum().alias("rel"),
            pl.col("gamma_address").first().alias("ga"),
            pl.col("gamma_lat_lng").first().alias("gd"),
        )
    )
    out: list[dict[str, Any]] = [
        {
            "facility": None,
            "row_w": -math.inf,
            "w1": -math.inf,
            "ga": -1,
            "gd": -1,
            "candidates": [],
        }
        for _ in range(n_rows)
    ]
    for r in per.iter_rows(named=True):
        i = int(r["row"].split("|", 1)[1])
        others = -math.inf if r["w2"] is None else r["w2"] + math.log2(r["rel"])
        # log2(1 + 2^others) without overflow
        penalty = others + math.log2(1 + 2.0**-others) if others > 0 else math.log2(1 + 2.0**others)
        out[i] = {
            "facility": r["facility"][0].split("|", 1)[1],
            "row_w": r["w1"] - penalty,
            "w1": r["w1"],
            "ga": r["ga"],
            "gd": r["gd"],
            "candidates": [f.split("|", 1)[1] for f in r["facility"]],
        }
    return out


def decide_xy(best: list[dict[str, Any]], t: Any, guard: bool) -> list[str]:
    """decide() with the thresholds for rows whose best pair has coordinates (t[0])
    or not (t[1])."""
    with_xy = [b["gd"] != -1 for b in best]
    a = decide(best, *t[0], guard)
    b = decide(best, *t[1], guard)
    return [x if w else y for x, y, w in zip(a, b, with_xy, strict=True)]


def decide(best: list[dict[str, Any]], t_auto: float, t_pending: float, guard: bool) -> list[str]:
    statuses = []
    for b in best:
        if b["facility"] is None:
            statuses.append("new")
        elif b["row_w"] >= t_auto and (
            not guard or b["ga"] in ADDRESS_SUPPORT or b["gd"] in DISTANCE_SUPPORT
        ):
            statuses.append("automatic")
        elif max(b["row_w"], b["w1"]) >= t_pending:
            statuses.append("pending")
        else:
            statuses.append("new")
    return statuses


def counts(
    best: list[dict[str, Any]], statuses: list[str], truth: list[set[str]]
) -> dict[str, int]:
    c = {"auto": 0, "auto_ok": 0, "pending": 0, "reached": 0, "positives": 0, "n": len(truth)}
    for b, s, t in zip(best, statuses, truth, strict=True):
        if s == "automatic":
            c["auto"] += 1
            c["auto_ok"] += b["facility"] in t
        elif s == "pending":
            c["pending"] += 1
        if t:
            c["positives"] += 1
            c["reached"] += bool(set(b["candidates"]) & t)
    return c


def figures(c: dict[str, float]) -> dict[str, float]:
    nan = float("nan")
    return {
        "precision": c["auto_ok"] / c["auto"] if c["auto"] else nan,
        "recall": c["auto_ok"] / c["positives"] if c["positives"] else nan,
        "pending": c["pending"] / c["n"] if c["n"] else nan,
        "candidates": c["reached"] / c["positives"] if c["positives"] else nan,
    }


def thresholds(
    training: list[tuple[list[dict[str, Any]], list[set[str]]]], guard: bool
) -> tuple[float, float]:
    """In bits of the row's match weight. T_auto: the lowest of GRID with automatic
    precision >= 0.97 on every training set. T_pending: down from T_auto one bit at
    a time while that band's proposals are right at least one time in four (pooled
    over the training sets; ours reads its 0.25 the same way)."""
    t_auto = GRID[-1]
    for t in GRID:
        ok = True
        for best, truth in training:
            c = counts(best, decide(best, t, t, guard), truth)
            if c["auto"] and c["auto_ok"] / c["auto"] < TARGET_PRECISION:
                ok = False
        if ok:
            t_auto = t
            break
    t_pending = t_auto
    while t_pending > GRID[0]:
        low = t_pending - 1
        right = total = 0
        for best, truth in training:
            for b, t in zip(best, truth, strict=True):
                score = max(b["row_w"], b["w1"])
                if b["facility"] is not None and low <= score < t_pending:
                    total += 1
                    right += b["facility"] in t
        if total and right / total < 0.25:
            break
        t_pending = low
    return t_auto, t_pending


# ---------------------------------------------------------------- child jobs


def splink_train(fold: str) -> dict[str, Any]:
    """Train on the sets other than `fold` (all sets for "all"), choose the
    thresholds on them; two u estimates (random pairs, Splink's way, and
    non-matching candidates, `candidate_u`)."""
    sets = tasks()
    names = FOLDS if fold == "all" else TRAINING[fold]
    t0 = time.perf_counter()
    model = train(sets, names)
    t_train = time.perf_counter() - t0
    share = match_share(sets, names)
    # Thresholds on the list tasks only: the OSH pairs are a one-facility registry
    # each (prior ~0.5 instead of ~1/10,000), their weights are not on the same scale.
    lists = [n for n in names if n != "osh pairs"]
    scored = [(predict(model, n, *sets[n][:2], share), sets[n][2]) for n in lists]
    models = {"random u": (model, False), "candidate u": (candidate_u(model, scored), True)}
    t: dict[tuple[str, bool], Any] = {}
    for variant, (m, cand) in models.items():
        # Two thresholds, as ours keeps two weight tables: for rows whose best pair has
        # coordinates on both sides, chosen on the training sets with coordinates; for
        # the others, on every training set with the coordinates removed (without
        # them a name and an address carry what the distance carries otherwise).
        with_xy, without_xy = [], []
        for n in lists:
            registry, rows, truth = sets[n]
            if "lat" in rows.columns:
                f = predict(m, n, registry, rows, share, cand)
                with_xy.append((best_per_row(f, rows.height, n), truth))
                registry, rows = registry.drop("lat", "lng"), rows.drop("lat", "lng")
            f = predict(m, n, registry, rows, share, cand)
            without_xy.append((best_per_row(f, rows.height, n), truth))
        for guard in (False, True):
            t[(variant, guard)] = (
                thresholds(with_xy, guard) if with_xy else thresholds(without_xy, guard),
                thresholds(without_xy, guard),
            )
    return {
        "models": models,
        "share": share,
        "t": t,
        "train_s": t_train,
        "peak_mb": peak_mb(),
    }


def splink_score(fold: str, trained: dict[str, Any]) -> dict[str, Any]:
    """Score the held-out fold with the trained models (own process: own peak memory)."""
    registry, rows, truth = tasks()[fold]
    base = peak_mb()
    out: dict[str, Any] = {"lines": []}
    for variant, (model, cand) in trained["models"].items():
        t1 = time.perf_counter()
        scored = predict(model, fold, registry, rows, trained["share"], cand)
        best = best_per_row(scored, rows.height, fold)
        seconds = time.perf_counter() - t1
        for guard in (False, True):
            t = trained["t"][(variant, guard)]
            c = counts(best, decide_xy(best, t, guard), truth)
            label = f"Splink, {variant}" + (" + guard" if guard else "")
            out["lines"].append((label, c, seconds, t))
        # Not held out: thresholds chosen on the scored set itself (what the model's
        # ranking can give at best with one threshold, calibration aside).
        if fold != "osh pairs":
            t_seen = thresholds([(best, truth)], True)
            c = counts(best, decide(best, *t_seen, True), truth)
            label = f"  {variant} + guard, T seen"
            out["lines"].append((label, c, seconds, (t_seen, t_seen)))
        out["pairs"] = scored.height
    out["peak_mb"] = peak_mb()
    out["peak_before_mb"] = base
    return out


def ours_fold(fold: str) -> dict[str, Any]:
    """Our matcher with the held-out model bench_matching_real.py uses."""
    from bench_matching_real import _thresholds, run_new
    from bench_matching_real import osh_figures as ours_osh
    from harness import osh_labelled_pairs

    from imvo.supplychain.matching import train as train_mod

    sets = tasks()
    per = train_mod.shipped_sets()
    key = {
        "chicago_dfss": "chicago_dfss",
        "geoer CA+US": "geoer_osm_fsq CA+US",
        "geoer SG+GB": "geoer_osm_fsq SG+GB",
        "osh pairs": "open-supply-hub pairs",
    }
    model = train_mod.combine([per[key[n]] for n in TRAINING[fold]], base=_thresholds())
    if fold == "osh pairs":
        t1 = time.perf_counter()
        f = ours_osh(osh_labelled_pairs(), "new", model)
        n = len(sets[fold][2])
        positives = sum(1 for t in sets[fold][2] if t)
        auto_ok = round(f["recall"] * positives)
        auto = round(auto_ok / f["precision"]) if auto_ok else 0
        c = {"auto": auto, "auto_ok": auto_ok, "pending": round(f["pending"] * n)}
        c |= {"reached": float("nan"), "positives": positives, "n": n}
        return {"counts": c, "seconds": time.perf_counter() - t1, "peak_mb": peak_mb()}
    registry, rows, truth = sets[fold]
    results, seconds = run_new(registry, rows, model)
    c = ours_counts(results, truth)
    return {"counts": c, "seconds": seconds, "peak_mb": peak_mb()}


def ours_counts(results: list[Any], truth: list[set[str]]) -> dict[str, int]:
    """counts() for our matcher's MatchResults (candidates = the pairs it scored)."""
    c = {"auto": 0, "auto_ok": 0, "pending": 0, "reached": 0, "positives": 0, "n": len(truth)}
    for r, t in zip(results, truth, strict=True):
        if r.status == "automatic":
            c["auto"] += 1
            c["auto_ok"] += str(r.facility_id) in t
        elif r.status == "pending":
            c["pending"] += 1
        if t:
            c["positives"] += 1
            c["reached"] += bool({str(x.facility_id) for x in r.scored} & t)
    return c


def synthetic(n_rows: int, n_registry: int, workdir: str) -> tuple[Any, Any, list[set[str]]]:
    """bench_supplychain_match.py's data, the list parsed and validated as an upload."""
    import json

    import polars as pl
    from bench_supplychain_match import generate

    from imvo.supplychain import parsing

    reg_path, list_path, truth_path = generate(Path(workdir), n_registry, n_rows, seed=13)
    registry = pl.read_csv(reg_path, infer_schema=False)
    table = parsing.read_table(
        list_path.name, list_path.read_bytes(), max_rows=10**7, max_bytes=2**40
    )
    valid = [r for r in parsing.validate_rows(table, table.column_mapping()) if r.valid]
    truth_all = json.loads(truth_path.read_text())
    rows = pl.DataFrame(
        {
            "name": [r.values["name"] for r in valid],
            "address": [r.values["address"] for r in valid],
            "country": [r.values["country_code"] for r in valid],
        }
    )
    truth = [
        {str(truth_all[r.number - 2])} if truth_all[r.number - 2] is not None else set()
        for r in valid
    ]
    return registry, rows, truth


def splink_scale(n_rows: int, n_registry: int, workdir: str, trained: dict) -> dict[str, Any]:
    """Splink (u among candidates, our guard) with the model trained on all real sets,
    on the synthetic data."""
    registry, rows, truth = synthetic(n_rows, n_registry, workdir)
    model, cand = trained["models"]["candidate u"]
    base = peak_mb()
    t0 = time.perf_counter()
    scored = predict(model, "synthetic", registry, rows, trained["share"], cand)
    best = best_per_row(scored, rows.height, "synthetic")
    c = counts(best, decide_xy(best, trained["t"][("candidate u", True)], True), truth)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mb": peak_mb(),
        "peak_before_mb": base,
        "pairs": scored.height,
        "counts": c,
    }


def ours_scale(n_rows: int, n_registry: int, workdir: str) -> dict[str, Any]:
    from imvo.supplychain import matching

    registry, rows, truth = synthetic(n_rows, n_registry, workdir)
    base = peak_mb()
    t0 = time.perf_counter()
    results = matching.match_frame(matching.prepare_registry(registry), rows)
    c = ours_counts(results, truth)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mb": peak_mb(),
        "peak_before_mb": base,
        "pairs": sum(len(r.scored) for r in results),
        "counts": c,
    }


def child(fn: Any, *args: Any) -> Any:
    """Run fn(*args) in a fresh spawned process: its peak memory is its own."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(fn, *args).result()


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--scale",
        action="append",
        default=None,
        help="ROWSxFACILITIES of the synthetic run (repeatable); 'none' to skip",
    )
    ap.add_argument("--sets", default=",".join(FOLDS), help="comma-separated folds")
    a = ap.parse_args()
    if splink_missing():
        print(
            "bench_splink: skipped, Splink is not installed (it is no dependency of the "
            f"platform). Install the benchmark extra with:\n    {INSTALL}"
        )
        return
    import splink

    print(f"Splink {splink.__version__} (DuckDB backend) against our matcher, held out")
    header = (
        f"{'set':<14} {'matcher':<28} {'auto P':>7} {'auto R':>7} {'pending':>8}"
        f" {'cand R':>7} {'s':>7} {'peak MB':>8}  thresholds"
    )
    print(header)
    sums: dict[str, dict[str, float]] = {}

    def line(
        name: str, label: str, c: dict[str, float], s: float, mb: float, note: str = ""
    ) -> None:
        f = figures(c)
        print(
            f"{name:<14} {label:<28} {f['precision']:7.3f} {f['recall']:7.3f} {f['pending']:8.3f}"
            f" {f['candidates']:7.3f} {s:7.1f} {mb:8.0f}  {note}",
            flush=True,
        )
        if name.startswith("geoer"):
            acc = sums.setdefault(label, {"s": 0.0, "mb": 0.0})
            for k, v in c.items():
                acc[k] = acc.get(k, 0) + v
            acc["s"] += s
            acc["mb"] = max(acc["mb"], mb)

    for fold in a.sets.split(","):
        ours = child(ours_fold, fold)
        trained = child(splink_train, fold)
        sp = child(splink_score, fold, trained)
        line(fold, "ours (held out)", ours["counts"], ours["seconds"], ours["peak_mb"])
        for label, c, seconds, t in sp["lines"]:
            (a1, p1), (a2, p2) = t
            note = f"{a1:.0f}/{p1:.0f} | {a2:.0f}/{p2:.0f} bits"
            line(fold, label, c, seconds, sp["peak_mb"], note)
        print(
            f"{'':<14} (Splink: training {trained['train_s']:.1f} s, peak {trained['peak_mb']:.0f} MB;"
            f" {sp['pairs']:,} pairs scored; peak before scoring {sp['peak_before_mb']:.0f} MB)"
        )
    for label, acc in sums.items():
        counts_ = {k: v for k, v in acc.items() if k not in ("s", "mb")}
        line("geoer (all)", label, counts_, acc["s"], acc["mb"])

    scales = a.scale if a.scale is not None else ["10000x100000"]
    for spec in scales:
        if spec == "none":
            continue
        n_rows, n_registry = (int(x) for x in spec.lower().split("x"))
        with tempfile.TemporaryDirectory(prefix="bench-splink-") as workdir:
            print(f"\nsynthetic {n_rows:,} rows x {n_registry:,} facilities (no coordinates)")
            trained = child(splink_train, "all")
            runs: list[tuple[str, Any, tuple[Any, ...]]] = [
                ("ours", ours_scale, (n_rows, n_registry, workdir)),
                (
                    "Splink, candidate u + guard",
                    splink_scale,
                    (n_rows, n_registry, workdir, trained),
                ),
            ]
            for label, fn, args in runs:
                r = child(fn, *args)
                f = figures(r["counts"])
                print(
                    f"  {label:<20} {r['seconds']:7.1f} s  peak {r['peak_mb']:6.0f} MB"
                    f" (before matching {r['peak_before_mb']:.0f})  pairs {r['pairs']:,}"
                    f"  auto P {f['precision']:.4f} R {f['recall']:.4f} pending {f['pending']:.3f}"
                    f"  cand R {f['candidates']:.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    sys.exit(main())
