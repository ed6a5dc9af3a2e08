"""Matching supplier-list rows to canonical facilities (production locations).

The same core serves the web job, the offline `imvo match` command and the
benchmark: plain functions on polars frames and Python values, no database.

How a row finds its facility
----------------------------
1. **Normalise** name, address and country (`normalise.py`).
2. **Block**: a row is only compared with registry facilities in the same
   country that share a blocking key: a name word, the first four letters of a
   longer name word (catches typos at the end), or a postcode-like number of five
   or more digits in the address. Keys shared by more than `max_block` facilities
   in a country ("garment", "textile") say little and are skipped, unless a row
   has no other key. So work grows with the list, not with list x registry.
3. **Rank** the candidates by the summed rarity (inverse document frequency) of
   the keys they share and keep the best `candidates` per row.
4. **Score** each kept candidate 0-100 with rapidfuzz (see `score_pair`).
5. **Decide** with two thresholds (`Thresholds`):
   - score >= `automatic` and clearly ahead of the next facility: *automatic*;
   - score >= `review`: *pending*, a person confirms, rejects or says "new";
   - below: *new* facility.

Thresholds were tuned on the benchmark's perturbed lists and checked against
the 112 labelled Open Supply Hub pairs (see docs/supplychain.md).
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl
from rapidfuzz import fuzz

from imvo.supplychain.normalise import normalise_addresses, normalise_names

AUTOMATIC = "automatic"
PENDING = "pending"
NEW = "new"
INVALID = "invalid"


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of matching. Scores are 0-100."""

    automatic: float = 88.0
    review: float = 70.0
    # Two different facilities both above `automatic` within this margin: a person decides.
    margin: float = 3.0
    # Blocking: skip keys shared by more facilities than this in one country...
    max_block: int = 400
    # ...and stop adding keys once a row's candidate postings reach this many.
    budget: int = 150
    # Candidates scored per row.
    candidates: int = 5


DEFAULT_THRESHOLDS = Thresholds()

# Words that name a unit within a site: "unit a" and "unit b" are different facilities.
_UNIT_WORDS = r"(?:unit|blk|bldg|plant|factory|fl|hall|shed|gate|phase|line|no|lot|plot)"
_UNIT_RE = re.compile(rf"\b{_UNIT_WORDS} ([a-z0-9]+)\b")
_NUMBER_RE = re.compile(r"\b\d+[a-z]?\b")


@lru_cache(maxsize=500_000)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(_NUMBER_RE.findall(text))


@lru_cache(maxsize=500_000)
def _identifiers(text: str) -> frozenset[str]:
    return _numbers(text) | {f"u:{m}" for m in _UNIT_RE.findall(text)}


def score_pair(name_a: str, addr_a: str, name_b: str, addr_b: str) -> float:
    """Similarity 0-100 of two normalised (name, address) pairs.

    Name: the best of word-order-insensitive similarity, similarity with spaces
    removed ("sinarjaya" = "sinar jaya") and, slightly discounted, the
    subset-tolerant token set ratio (a word added or dropped). Address: token
    set ratio, so a missing or added part costs little. Name weighs 0.6,
    address 0.4; with no address on one side the name alone counts, capped at 92
    so such a match is only automatic when the name is (nearly) identical.
    Different numbers in both names, or different unit identifiers in both
    addresses ("unit a" / "unit b", "no 12" / "no 14"), cost 20 points: a
    look-alike next door is not the same facility.
    """
    if not name_a or not name_b:
        return 0.0
    name = max(
        fuzz.token_sort_ratio(name_a, name_b),
        fuzz.ratio(name_a.replace(" ", ""), name_b.replace(" ", "")),
        0.92 * fuzz.token_set_ratio(name_a, name_b),
    )
    penalty = 0.0
    nums_a, nums_b = _numbers(name_a), _numbers(name_b)
    if nums_a != nums_b and (nums_a or nums_b):
        penalty += 20.0
    if addr_a and addr_b:
        addr = fuzz.token_set_ratio(addr_a, addr_b)
        score = 0.6 * name + 0.4 * addr
        ids_a, ids_b = _identifiers(addr_a), _identifiers(addr_b)
        if ids_a and ids_b and not (ids_a <= ids_b or ids_b <= ids_a):
            penalty += 20.0
    else:
        score = min(name, 92.0)
    return max(0.0, round(score - penalty, 1))


def score_pairs(
    names_a: Sequence[str], addrs_a: Sequence[str], names_b: Sequence[str], addrs_b: Sequence[str]
) -> list[float]:
    """`score_pair` for many pairs at once: the string similarities run in rapidfuzz's
    C++ (`cpdist`, all cores); only the identifier checks loop in Python."""
    import numpy as np
    from rapidfuzz.process import cpdist

    if not names_a:
        return []
    workers = -1
    name = np.maximum(
        cpdist(names_a, names_b, scorer=fuzz.token_sort_ratio, workers=workers),
        cpdist(
            [n.replace(" ", "") for n in names_a],
            [n.replace(" ", "") for n in names_b],
            scorer=fuzz.ratio,
            workers=workers,
        ),
    )
    name = np.maximum(
        name, 0.92 * cpdist(names_a, names_b, scorer=fuzz.token_set_ratio, workers=workers)
    )
    addr = cpdist(addrs_a, addrs_b, scorer=fuzz.token_set_ratio, workers=workers)
    out = []
    for i in range(len(names_a)):
        na, nb, aa, ab = names_a[i], names_b[i], addrs_a[i], addrs_b[i]
        if not na or not nb:
            out.append(0.0)
            continue
        penalty = 0.0
        nums_a, nums_b = _numbers(na), _numbers(nb)
        if nums_a != nums_b and (nums_a or nums_b):
            penalty += 20.0
        if aa and ab:
            score = 0.6 * float(name[i]) + 0.4 * float(addr[i])
            ids_a, ids_b = _identifiers(aa), _identifiers(ab)
            if ids_a and ids_b and not (ids_a <= ids_b or ids_b <= ids_a):
                penalty += 20.0
        else:
            score = min(float(name[i]), 92.0)
        out.append(max(0.0, round(score - penalty, 1)))
    return out


@dataclass
class Registry:
    """A prepared facility registry: normalised values and the blocking index."""

    ids: list
    names: list[str]
    addresses: list[str]
    countries: list[str]
    keys: pl.DataFrame  # kid, idx: the postings of each key (at most max_block)
    freq: pl.DataFrame  # kid, key ("CC|word"), df: how many facilities carry the key
    thresholds: Thresholds = field(default=DEFAULT_THRESHOLDS)

    def __len__(self) -> int:
        return len(self.ids)


def _key_frame(names: pl.Series, addresses: pl.Series, countries: pl.Series) -> pl.DataFrame:
    """One line per (record index, blocking key); keys are "CC|word", "CC|~pref", "CC|#12345"."""
    base = pl.DataFrame(
        {
            "idx": pl.int_range(0, len(names), eager=True, dtype=pl.Int32),
            "c": countries + "|",
            "n": names.str.split(" "),
            "a": addresses.str.split(" "),
        }
    )
    words = base.select("idx", "c", w="n").explode("w").filter(pl.col("w").str.len_bytes() >= 2)
    prefixes = words.filter(pl.col("w").str.len_bytes() >= 5).select(
        "idx", "c", w=pl.lit("~") + pl.col("w").str.slice(0, 4)
    )
    postcodes = (
        base.select("idx", "c", w="a")
        .explode("w")
        .filter(pl.col("w").str.contains(r"^\d{5,}$"))
        .select("idx", "c", w=pl.lit("#") + pl.col("w"))
    )
    return (
        pl.concat([words, prefixes, postcodes])
        .select("idx", key=pl.col("c") + pl.col("w"))
        .unique(["idx", "key"])
    )


def prepare_registry(
    frame: pl.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS, normalised: bool = False
) -> Registry:
    """Index a registry frame with columns id, name, address, country (ISO alpha-2).

    With `normalised=True` the name and address columns already hold normalised
    values (the database stores them so), otherwise they are normalised here.
    """
    countries = frame["country"].cast(pl.String).fill_null("").str.to_uppercase()
    if normalised:
        names = frame["name"].cast(pl.String).fill_null("")
        addresses = frame["address"].cast(pl.String).fill_null("")
    else:
        names = normalise_names(frame["name"])
        addresses = normalise_addresses(frame["address"])
    keys = _key_frame(names, addresses, countries)
    # Keys become integers (kid) so the per-list joins compare numbers, not strings;
    # postings of a key are capped at `max_block` once, here, not per list.
    freq = keys.group_by("key").len("df").with_row_index("kid")
    keys = keys.join(freq, on="key").select("kid", "idx", "df")
    common = keys.filter(pl.col("df") > thresholds.max_block)
    keys = pl.concat(
        [
            keys.filter(pl.col("df") <= thresholds.max_block).select("kid", "idx"),
            # The same postings every run (the lowest indexes), whatever the join order.
            common.group_by("kid").agg(pl.col("idx").bottom_k(thresholds.max_block)).explode("idx"),
        ]
    )
    return Registry(
        ids=frame["id"].to_list(),
        names=names.to_list(),
        addresses=addresses.to_list(),
        countries=countries.to_list(),
        keys=keys,
        freq=freq,
        thresholds=thresholds,
    )


@dataclass
class MatchResult:
    """The decision for one row: best facility (registry id), its score, the status,
    and the scored candidates (registry id, score), best first."""

    facility_id: object | None
    score: float
    status: str
    candidates: list[tuple[object, float]]


def candidate_pairs(
    registry: Registry, names: pl.Series, addresses: pl.Series, countries: pl.Series
) -> pl.DataFrame:
    """The blocked candidate pairs: columns row, idx (registry index), w (key rarity)."""
    t = registry.thresholds
    row_keys = _key_frame(names, addresses, countries).rename({"idx": "row"})
    # Rarest keys first; a row takes keys until their postings exceed `budget`
    # (its rarest key always), so no row costs more than about budget + max_block.
    chosen = (
        row_keys.join(registry.freq, on="key")
        .sort(["row", "df", "kid"])
        .with_columns(before=pl.col("df").cum_sum().over("row") - pl.col("df"))
        .filter(
            (pl.col("before") < t.budget)
            & ((pl.col("df") <= t.max_block) | (pl.col("before") == 0))
        )
        .select("row", "kid", "df")
    )
    # A key too common to block on alone yields at most `max_block` facilities
    # (capped when the registry was prepared).
    kept = chosen.join(registry.keys, on="kid")
    n = max(len(registry), 2)
    return (
        kept.group_by("row", "idx")
        .agg(w=(pl.lit(math.log(n)) - pl.col("df").cast(pl.Float64).log()).sum())
        .sort(["row", "w", "idx"], descending=[False, True, False])
        .group_by("row", maintain_order=True)
        .head(t.candidates)
    )


def match_frame(
    registry: Registry,
    frame: pl.DataFrame,
    progress: object | None = None,
) -> list[MatchResult]:
    """Match every row of `frame` (columns name, address, country as ISO alpha-2,
    already validated) against the registry. One result per row, in order.

    `progress`, when given, is called with (rows done, total) now and then.
    """
    # The scoring loop allocates millions of small objects next to a registry of
    # millions of strings; Python's cyclic GC would re-walk all of them again and
    # again (measured: most of the time on a 1M registry). Nothing here is cyclic.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _match_frame(registry, frame, progress)
    finally:
        if enabled:
            gc.enable()


def _match_frame(
    registry: Registry, frame: pl.DataFrame, progress: object | None
) -> list[MatchResult]:
    t = registry.thresholds
    names = normalise_names(frame["name"])
    addresses = normalise_addresses(frame["address"])
    countries = frame["country"].cast(pl.String).fill_null("").str.to_uppercase()
    pairs = candidate_pairs(registry, names, addresses, countries)
    row_names, row_addresses = names.to_list(), addresses.to_list()
    reg_names, reg_addresses, reg_ids = registry.names, registry.addresses, registry.ids
    rows_col, idx_col = pairs["row"].to_list(), pairs["idx"].to_list()
    scored: dict[int, list[tuple[int, float]]] = {}
    step = 50_000
    for start in range(0, len(rows_col), step):
        rs, js = rows_col[start : start + step], idx_col[start : start + step]
        scores = score_pairs(
            [row_names[r] for r in rs],
            [row_addresses[r] for r in rs],
            [reg_names[j] for j in js],
            [reg_addresses[j] for j in js],
        )
        for r, j, sc in zip(rs, js, scores, strict=True):
            scored.setdefault(r, []).append((j, sc))
        if progress is not None:
            progress(min(start + step, len(rows_col)), len(rows_col))  # type: ignore[operator]
    results = []
    for r in range(frame.height):
        cands = sorted(scored.get(r, []), key=lambda c: -c[1])
        results.append(decide([(reg_ids[j], s) for j, s in cands], t))
    return results


def decide(
    candidates: Sequence[tuple[object, float]], t: Thresholds = DEFAULT_THRESHOLDS
) -> MatchResult:
    """Status for a row from its scored candidates (best first)."""
    cands = list(candidates)
    if not cands or cands[0][1] < t.review:
        return MatchResult(None, cands[0][1] if cands else 0.0, NEW, cands)
    best_id, best = cands[0]
    status = PENDING
    if best >= t.automatic:
        runner = next((c for c in cands[1:] if c[0] != best_id), None)
        status = AUTOMATIC if runner is None or runner[1] < best - t.margin else PENDING
    return MatchResult(best_id, best, status, cands)
