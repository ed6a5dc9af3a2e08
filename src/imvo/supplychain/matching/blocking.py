"""Candidate generation (blocking): which registry facilities a row is scored against.

A true match that never reaches scoring is lost for good, so blocking is wide:
several rules, each in the row's country, whose candidates are unioned.

- ``name``: words of the cleaned name, two adjacent words joined (finds
  "tillerman" for "till erman the", "sinarjaya" for "sinar jaya"), the first
  four letters of longer words (a typo at the end) and the first eight letters
  of the whole name without spaces (finds "unity fashion cambo" for "u ni ty
  fash ionc am bo"); candidates ranked by the summed rarity (IDF) of what they
  share, the best `Blocking.name_top` kept.
- ``address``: a house number together with the street word after it
  ("4846|sheridan"), and long numbers (postcodes); best `address_top` kept.
  This is what brings in "Penn, 1616 S. Avers" for "CHICAGO PUBLIC SCHOOLS
  PENN, WILLIAM, 1616 S AVERS".
- ``geo``: facilities in the same or a neighbouring cell of about 500 m,
  nearest `geo_top` kept.

Keys shared by more than `max_block` facilities in a country say little and are
skipped (a row whose every key is that common still gets the first `max_block`
facilities of its rarest key), and a row stops taking keys once their postings
reach `budget`: work grows with the list, not with list x registry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from imvo.supplychain.matching import features

# Letters of the joined name (spaces and articles removed) in the name rule's 'k' key.
JOINED_PREFIX = 8
CELL_DEGREES = 0.005  # ~550 m of latitude
# Cells are floor(degrees x 200): a multiplication by an exact integer rounds the same
# in every engine (a division by 0.005 does not: 10.02 / 0.005 < 2004 in IEEE doubles).
CELLS_PER_DEGREE = 200


@dataclass(frozen=True)
class Blocking:
    max_block: int = 200
    budget: int = 150
    name_top: int = 20
    address_top: int = 10
    geo_top: int = 10


def _name_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """idx, key for the name rule: words and two adjacent words joined ('CC|w|...', one
    key space, so "sinar jaya" meets "sinarjaya" and "till erman" meets "tillerman"),
    the first four letters of longer words ('CC|g|...', a typo at the end) and the
    first letters of the whole name without spaces ('CC|k|...')."""
    words = (
        frame.select("idx", c=pl.col("country") + "|", w=pl.col("name").str.split(" "))
        .explode("w")
        .filter(pl.col("w").str.len_chars() > 0)
        # explode keeps the order: the next word is the next line of the same record
        .with_columns(
            nxt=pl.when(pl.col("idx").shift(-1) == pl.col("idx")).then(pl.col("w").shift(-1))
        )
    )
    single = words.filter(pl.col("w").str.len_chars() >= 2).select(
        "idx", key=pl.col("c") + "w|" + pl.col("w")
    )
    joined = words.filter(pl.col("nxt").is_not_null()).select(
        "idx", key=pl.col("c") + "w|" + pl.col("w") + pl.col("nxt")
    )
    prefix = words.filter(pl.col("w").str.len_chars() >= 5).select(
        "idx", key=pl.col("c") + "g|" + pl.col("w").str.slice(0, 4)
    )
    # The whole name without spaces and articles (features.joined_name), its first
    # JOINED_PREFIX letters: a name whose spacing is broken ("u ni ty fash ion cambo",
    # "origi nal appar ae ls") meets the name written whole ("unity fashion cambo").
    parts = pl.col("name").str.split(" ")
    kept = parts.list.eval(
        pl.element().filter((pl.element() != "") & ~pl.element().is_in(list(features.ARTICLES)))
    ).list.join("")
    whole = (
        frame.select(
            "idx",
            c=pl.col("country") + "|",
            j=pl.when(kept != "").then(kept).otherwise(pl.col("name").str.replace_all(" ", "")),
        )
        .filter(pl.col("j").is_not_null() & (pl.col("j") != ""))
        .select("idx", key=pl.col("c") + "k|" + pl.col("j").str.slice(0, JOINED_PREFIX))
    )
    return pl.concat([single, joined, prefix, whole]).unique(["idx", "key"])


def word_counts(index: Index, pairs: pl.DataFrame) -> pl.DataFrame:
    """For pairs (`pairs`: k, country, a, b: two cleaned names), how many registry
    facilities carry the rarest word key (a word or two adjacent words joined) that
    both names carry: columns k, count (0 when they share none)."""
    if not pairs.height:
        return pl.DataFrame(schema={"k": pl.Int64, "count": pl.Int64})

    def keys(col: str) -> pl.DataFrame:
        frame = pairs.select(idx="k", country="country", name=col)
        return _name_keys(frame).filter(pl.col("key").str.contains(r"^[^|]*\|w\|"))

    shared = (
        keys("a").join(keys("b"), on=["idx", "key"]).with_columns(kid=pl.col("key").hash(_SEED))
    )
    counted = (
        shared.join(index.freq.select("kid", "df"), on="kid", how="left")
        .group_by("idx")
        .agg(count=pl.col("df").fill_null(1).min())
    )
    return (
        pairs.select("k")
        .join(counted.rename({"idx": "k"}), on="k", how="left")
        .select("k", pl.col("count").fill_null(0).cast(pl.Int64))
    )


def _address_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """idx, key for the address rule: 'CC|a|number|next street word', 'CC|p|long number'."""
    flat = (
        frame.select("idx", c=pl.col("country") + "|", t=pl.col("address").str.split(" "))
        .explode("t")
        .with_columns(
            n1=pl.when(pl.col("idx").shift(-1) == pl.col("idx"))
            .then(pl.col("t").shift(-1))
            .otherwise(pl.lit("")),
            n2=pl.when(pl.col("idx").shift(-2) == pl.col("idx"))
            .then(pl.col("t").shift(-2))
            .otherwise(pl.lit("")),
        )
        .filter(pl.col("t").str.contains(r"^\d+[a-z]?$"))
    )
    street = (
        flat.with_columns(s=pl.when(pl.col("n1").str.len_chars() >= 3).then("n1").otherwise("n2"))
        .filter(
            (pl.col("s").str.len_chars() >= 3)
            & (
                ~pl.col("s").str.contains(r"^\d")
                | pl.col("s").str.contains(features.ORDINAL_STREET)  # "119th"
            )
        )
        .select("idx", key=pl.col("c") + "a|" + pl.col("t") + "|" + pl.col("s"))
    )
    post = flat.filter(pl.col("t").str.len_chars() >= 5).select(
        "idx", key=pl.col("c") + "p|" + pl.col("t")
    )
    return pl.concat([street, post]).unique(["idx", "key"])


def _cells(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("lat").is_not_null() & pl.col("lng").is_not_null()).select(
        "idx",
        "country",
        "lat",
        "lng",
        cy=(pl.col("lat") * CELLS_PER_DEGREE).floor().cast(pl.Int32),
        cx=(pl.col("lng") * CELLS_PER_DEGREE).floor().cast(pl.Int32),
    )


@dataclass
class Index:
    """The registry's blocking index."""

    keys: pl.DataFrame  # kid (key hash), idx (postings; at most max_block per key)
    freq: pl.DataFrame  # kid, df, rule
    cells: pl.DataFrame  # idx, country, lat, lng, cy, cx
    size: int
    blocking: Blocking


_SEED = 20261205


def _hashed(frame: pl.DataFrame, keep_key: bool = False) -> pl.DataFrame:
    """idx, kid, rule: the keys as 64-bit hashes (joins and groups on integers are
    several times faster than on millions of strings; a collision merely adds a
    candidate), with the rule each key belongs to (and the key itself if asked)."""
    keys = pl.concat(
        [
            _name_keys(frame).with_columns(rule=pl.lit("name")),
            _address_keys(frame).with_columns(rule=pl.lit("address")),
        ]
    )
    extra = ["key"] if keep_key else []
    return keys.select("idx", *extra, kid=pl.col("key").hash(_SEED), rule="rule")


def key_ids(keys: list[str]) -> pl.Series:
    """The hash ids of key strings, as the index stores them."""
    return pl.Series("key", keys, dtype=pl.String).hash(_SEED)


def build_index(frame: pl.DataFrame, blocking: Blocking) -> Index:
    """`frame`: idx, name, address (cleaned), country, lat, lng."""
    keys = _hashed(frame)
    freq = keys.group_by("kid").agg(df=pl.len(), rule=pl.col("rule").first())
    keys = keys.join(freq.select("kid", "df"), on="kid").select("kid", "idx", "df")
    common = keys.filter(pl.col("df") > blocking.max_block)
    keys = pl.concat(
        [
            keys.filter(pl.col("df") <= blocking.max_block).select("kid", "idx"),
            common.group_by("kid").agg(pl.col("idx").bottom_k(blocking.max_block)).explode("idx"),
        ]
    )
    return Index(keys, freq, _cells(frame), frame.height, blocking)


def frequencies(index: Index, keys: list[str]) -> list[int]:
    """How many registry records carry each key string (0 for none)."""
    if not keys:
        return []
    wanted = pl.DataFrame({"kid": key_ids(keys)}).with_row_index("i")
    found = wanted.join(index.freq.select("kid", "df"), on="kid", how="left").sort("i")
    return [int(v) for v in found["df"].fill_null(0).to_list()]


def candidates(index: Index, rows: pl.DataFrame) -> pl.DataFrame:
    """Candidate pairs for the rows (`rows`: idx, name, address, country, lat, lng):
    columns row, idx (registry position), unique."""
    b = index.blocking
    row_keys = _hashed(rows, keep_key=True).rename({"idx": "row"}).unique(["row", "kid"])
    chosen = (
        row_keys.join(index.freq.select("kid", "df"), on="kid")
        # Equally rare keys in the key's order (as text, so an SQL engine can do the same).
        .sort(["row", "rule", "df", "key"])
        .with_columns(before=pl.col("df").cum_sum().over("row", "rule") - pl.col("df"))
        .filter(
            (pl.col("before") < b.budget)
            & ((pl.col("df") <= b.max_block) | (pl.col("before") == 0))
        )
        .select("row", "kid", "df", "rule")
    )
    n = max(index.size, 2)
    size = max(index.size, 1)
    # One integer per (row, rule) and per (row, rule, registry record): groups and
    # joins on one Int64 instead of three columns, one a string (~3x less CPU).
    # A key's rarity is computed once per key, not per posting.
    posted = (
        chosen.select(
            g=pl.col("row").cast(pl.Int64) * 2 + (pl.col("rule") == "address").cast(pl.Int64),
            kid="kid",
            idf=pl.lit(math.log(n)) - pl.col("df").cast(pl.Float64).log(),
        )
        .join(index.keys, on="kid")
        .select(k=pl.col("g") * size + pl.col("idx"), idf="idf")
    )
    ranked = (
        posted.group_by("k")
        # Rounded: a sum's last bits depend on the order of its terms, which no engine
        # promises; equal sets of keys must rank as equal.
        .agg(w=pl.col("idf").sum().round(9))
        .select(g=pl.col("k") // size, idx=pl.col("k") % size, w="w")
    )
    # Per (row, rule) the best by weight, equal weights by registry position.
    top = pl.concat(
        [
            ranked.filter(pl.col("g") % 2 == rule)
            .group_by("g")
            .agg(pl.col("idx").top_k_by(["w", "idx"], k=k, reverse=[False, True]))
            .explode("idx")
            .select(row=pl.col("g") // 2, idx="idx")
            for rule, k in ((0, b.name_top), (1, b.address_top))
        ]
    )
    parts = [top]
    if index.cells.height:
        parts.append(_geo_candidates(index, rows))
    return (
        pl.concat(parts)
        .select(k=pl.col("row") * size + pl.col("idx"))
        .unique()
        .sort("k")
        .select(row=pl.col("k") // size, idx=pl.col("k") % size)
    )


def _geo_candidates(index: Index, rows: pl.DataFrame) -> pl.DataFrame:
    mine = _cells(rows).rename({"idx": "row", "lat": "rlat", "lng": "rlng"})
    if not mine.height:
        return pl.DataFrame(schema={"row": pl.Int64, "idx": pl.Int64})
    shifts = pl.DataFrame({"dy": [-1, -1, -1, 0, 0, 0, 1, 1, 1], "dx": [-1, 0, 1] * 3})
    near = (
        mine.join(shifts, how="cross")
        .with_columns(cy=pl.col("cy") + pl.col("dy"), cx=pl.col("cx") + pl.col("dx"))
        .join(index.cells, on=["country", "cy", "cx"])
        .with_columns(
            d=(pl.col("lat") - pl.col("rlat")) ** 2
            + ((pl.col("lng") - pl.col("rlng")) * (pl.col("rlat").radians().cos())) ** 2
        )
        .sort(["row", "d", "idx"])
        .group_by("row", maintain_order=True)
        .head(index.blocking.geo_top)
    )
    return near.select(pl.col("row").cast(pl.Int64), pl.col("idx").cast(pl.Int64))


def extend_index(index: Index, frame: pl.DataFrame) -> Index:
    """The index with the records of `frame` added (`frame` as for `build_index`, its
    idx continuing after `index.size`): the same index `build_index` makes from all
    records at once, at the cost of the new records only. A key's postings keep its
    first `max_block` records by position, so a new record joins a key's postings
    only while the key holds fewer than that."""
    if not frame.height:
        return index
    new = _hashed(frame)
    counted = new.group_by("kid").agg(added=pl.len(), new_rule=pl.col("rule").first())
    freq = index.freq.join(counted, on="kid", how="full", coalesce=True).select(
        "kid",
        df=(pl.col("df").fill_null(0) + pl.col("added").fill_null(0)).cast(index.freq.schema["df"]),
        # A key keeps the rule it was first seen with (as build_index's `first`).
        rule=pl.coalesce("rule", "new_rule"),
    )
    postings = (
        new.join(index.freq.select("kid", before="df"), on="kid", how="left")
        .sort("kid", "idx")
        .with_columns(
            position=pl.col("before").fill_null(0).cast(pl.Int64)
            + pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("kid")
        )
        .filter(pl.col("position") <= index.blocking.max_block)
        .select("kid", "idx")
    )
    return Index(
        pl.concat([index.keys, postings.cast(index.keys.schema)]),
        freq,
        pl.concat([index.cells, _cells(frame).cast(index.cells.schema)]),
        index.size + frame.height,
        index.blocking,
    )
