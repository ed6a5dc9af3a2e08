"""Comparison levels of a (list row, registry facility) pair, field by field.

Each comparison sorts a pair into one of a few levels (Fellegi-Sunter: the
level, not a raw score, carries a learned weight). Level 0 of every comparison
is "no evidence" (a value missing on either side) and always weighs 0, so a
registry record without an address is neither helped nor hurt by it; only the
evidence that is there counts.

All functions take lists of equal length (one entry per pair) and return numpy
arrays of level numbers; string similarity runs in rapidfuzz's C++ (`cpdist`).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

# name: the base levels of `name_levels`, then split by how common the name is
# (`name_levels_tf`), so a chain's name learns its own, smaller weight ------------------
BASE_NAME_LEVELS = [
    "missing",
    "exact",  # the same cleaned name (or the same with spaces removed)
    "near",  # typo or word order: >= 92 similar; a name broken into pieces ("br and i x
    # asl") >= 85 similar without spaces (`fragmented`)
    "contained",  # one name's words all inside the other's ("Pioneer" / "Pioneer Dental"),
    # abbreviations counting as their long words ("teachers acad" / "teachers academy")
    "similar",  # >= 80, or one name inside the other once both are written without spaces
    "weak",  # >= 60
    "different",
]
NAME_LEVELS = [
    "missing",
    "exact, unique name",
    "exact, name shared by 2-9",
    "exact, name shared by 10+",
    "near, unique name",
    "near, common name",
    "contained, rare words",
    "contained, common words",
    "contained, rare words, extra words generic",
    "contained, common words, extra words generic",
    "similar",
    "weak",
    "different",
]
# fine level -> its base level's name (what an explanation shows, with the count beside it)
NAME_BASE = [BASE_NAME_LEVELS[b] for b in (0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 6)]
# base level -> (level if unique/rare, level if common, level if very common)
_TF_SPLIT = {
    1: (1, 2, 3),
    2: (4, 5, 5),
    3: (6, 7, 7),
    4: (10, 10, 10),
    5: (11, 11, 11),
    6: (12, 12, 12),
}
# A contained name whose extra words are all generic (`GENERIC_WORD_COUNT`): its own levels.
_GENERIC_SPLIT = {3: (8, 9, 9)}
# The fine levels at which the names agree (exact, near or contained, however common).
AGREEING_NAME_LEVELS = (1, 2, 3, 4, 5, 6, 7, 8, 9)

# Generic words: a contained name ("Starbucks" / "Starbucks Coffee", "Wood Street Pizza" /
# "Wood Street Pizza Restaurant") whose extra words are all carried by GENERIC_WORD_COUNT or
# more registry facilities of the country says what kind of place it is, not which one;
# extra words few facilities carry name another place ("Falk Hall" / "Chatham University
# Falk Hall", "Bloordale Village" / "Bloordale Village Laundromat"). Read from the registry
# itself (its word counts, the blocking index's), not from a list of words; the boundary is
# the one the name and shared-word levels already use for "common" (10+). Measured in
# docs/supplychain.md ("Generic extra words; distance 200-500 m").
GENERIC_WORD_COUNT = 10


def extra_words(a: str, b: str) -> frozenset[str]:
    """The words one cleaned name has that the other lacks, both ways."""
    return words(a) ^ words(b)


def name_levels_tf(
    base: np.ndarray, counts: np.ndarray, generic: np.ndarray | None = None
) -> np.ndarray:
    """Refine base name levels by frequency: `counts` is how many registry facilities
    of the country carry the candidate's name (exact, near) or the shorter name's
    rarest word (contained); 1 = unique. `generic`: per pair, are a contained name's
    extra words all generic (`GENERIC_WORD_COUNT`; None: none is)."""
    out = np.zeros(len(base), dtype=np.int8)
    cls = np.where(counts <= 1, 0, np.where(counts < 10, 1, 2))
    for b, levels in _TF_SPLIT.items():
        for c in range(3):
            out[(base == b) & (cls == c)] = levels[c]
    if generic is not None:
        for b, levels in _GENERIC_SPLIT.items():
            for c in range(3):
                out[(base == b) & (cls == c) & generic] = levels[c]
    return out


# address ------------------------------------------------------------------------------
ADDRESS_LEVELS = [
    "missing",
    "exact",
    "same number and street",  # a shared house number and a >= 85 similar rest
    "similar",  # >= 85 (token set ratio, or ratio without spaces), no conflicting number
    "numbers differ",  # each side has a house/plot/unit number the other lacks: next door
    # ("different" too when the rest of the addresses is not even partly similar)
    "partly similar",  # >= 60
    "different",
]
# distance -----------------------------------------------------------------------------
# 200 m-1 km is split at 500 m: an exact unique name 200-500 m away is the same place far
# more often than one 500 m-1 km away (docs/supplychain.md, "Generic extra words; distance
# 200-500 m"), and a level that spans both teaches the nearer half the farther's weight.
DISTANCE_LEVELS = ["missing", "<= 50 m", "<= 200 m", "<= 500 m", "<= 1 km", "<= 5 km", "> 5 km"]
_DISTANCE_LIMITS = [50.0, 200.0, 500.0, 1000.0, 5000.0]
# The distance levels within 200 m (support, "name and place") and over 1 km (contradicted).
WITHIN_200_M = (1, 2)
OVER_1_KM = (5, 6)
# numbers in the names ("store 12" / "store 14", "unit 2") -----------------------------
NAME_NUMBER_LEVELS = [
    "none",
    "same",
    "one side only",  # one name's numbers are all in the other ("pathways cc1" / "pathways")
    "differ",  # each name has a number the other lacks ("branch 1" / "branch 2"): never automatic
]
# shared name words: where the names differ as wholes (contained, similar or less) but the
# address or the place agrees, the rarest word (or joined word pair) both names carry.
# A parent body's name in front of the site's ("Henry Booth House Granny's Day Care"
# / "Grannys Daycare Center") or a site's name behind it shares a word no other
# facility carries; two shops in one building share none, or only "cafe". -------------
NAME_WORD_LEVELS = [
    "not compared",  # the names agree as wholes, or nothing else agrees (no registry counts)
    "a word no other facility carries",
    "a word 2-9 facilities carry",
    "only words 10+ facilities carry",
    "no word in common",
]

# namesakes nearby: where the names agree (exact or near), other facilities of the country
# carry the name, and both sides have coordinates
# within NEARBY_METERS of each other, how near to the row is the nearest *other* registry
# place with either name (`joined_name`)? How common a name is in the whole country says
# little about one street: a chain's branch that is the only one of its name around the
# row is strong evidence; another branch as near as CLOSE_METERS leaves it open. ----------
NEARBY_METERS = 1000.0
CLOSE_METERS = 200.0
NAME_NEARBY_LEVELS = [
    "not compared",  # the names do not agree, a side lacks coordinates, or over 1 km apart
    "the only place with the name within 1 km",
    "another place with the name within 1 km, none within 200 m",
    "another place with the name within 200 m",
]
# The operator's name set aside (`operator_levels`, below).
OPERATOR_LEVELS = [
    "not compared",
    "the site's name inside the other, the list's operator name set aside",
]
# What the explanation's name entry says at that level (in place of the base level).
OPERATOR_NAME_LEVEL = "contained, operator's name set aside"

COMPARISONS: dict[str, list[str]] = {
    "name": NAME_LEVELS,
    "address": ADDRESS_LEVELS,
    "distance": DISTANCE_LEVELS,
    "name_number": NAME_NUMBER_LEVELS,
    "name_word": NAME_WORD_LEVELS,
    "name_nearby": NAME_NEARBY_LEVELS,
    # Not a field of its own: where it is 1, its weight stands in for the pair's name
    # weight (`model.Model.pair_bits`; fitted after the others, `model.Model.fit`).
    "name_operator": OPERATOR_LEVELS,
}

_NUMBER_RE = re.compile(r"\d+")


@lru_cache(maxsize=500_000)
def numbers(text: str) -> frozenset[str]:
    return frozenset(_NUMBER_RE.findall(text))


# Words that name a unit within a site: "unit a" and "unit b" are different facilities.
UNIT_WORDS = "unit|blk|bldg|plant|factory|fl|hall|shed|gate|phase|line|no|lot|plot"
# The unit's value: a number with at most a letter on each side ("21a", "c2") or a word
# ("b"), after the unit word and an optional "no" ("plot no 4"); a value glued to the
# next word ("no 528sec", an address typed without spaces) is none.
_UNIT_PATTERN = rf"\b(?:{UNIT_WORDS})(?: no)? ([a-z]?[0-9]+[a-z]?|[a-z]+)\b"
_UNIT_RE = re.compile(_UNIT_PATTERN)


@lru_cache(maxsize=500_000)
def identifiers(text: str) -> frozenset[str]:
    """What identifies the building in an address: house, plot and unit numbers
    (up to 4 digits; longer numbers are postcodes, often mistyped or left out)
    and unit values with a letter ("unit b", "plot 21a"; a plain unit number is
    already one of the numbers: "plot no 4" and "plot 4" agree). Leading zeros do
    not count: "no 07" is number 7."""
    return frozenset(n.lstrip("0") or "0" for n in numbers(text) if len(n) <= 4) | {
        f"u:{m}" for m in _UNIT_RE.findall(text) if not m.isdigit()
    }


@lru_cache(maxsize=500_000)
def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ARTICLES = frozenset({"the", "of", "de", "la", "le", "el"})


@lru_cache(maxsize=500_000)
def joined_name(text: str) -> str:
    """The name without spaces and articles: "till erman the" -> "tillerman"."""
    kept = [w for w in text.split() if w not in ARTICLES]
    return "".join(kept or text.split())


# Threads rapidfuzz may use per call: an explicit number, not -1 ("all cores" in every
# caller at once: two matches in one process would each start a pool the size of the
# machine). polars' pool is set the same way with POLARS_MAX_THREADS.
THREADS = max(1, int(os.environ.get("IMVO_MATCH_THREADS") or min(2, os.cpu_count() or 1)))


def _cp(a: Sequence[str] | np.ndarray, b: Sequence[str] | np.ndarray, scorer: Any) -> np.ndarray:
    return np.asarray(cpdist(a, b, scorer=scorer, workers=THREADS), dtype=np.float32)


def name_levels(
    a: Sequence[str],
    b: Sequence[str],
    a_joined: Sequence[str] | None = None,
    b_joined: Sequence[str] | None = None,
) -> np.ndarray:
    """`a_joined`/`b_joined`: `joined_name` of a and b when the caller has them."""
    if not len(a):
        return np.zeros(0, dtype=np.int8)
    sort = _cp(a, b, fuzz.token_sort_ratio)
    a_ns = _strings(a_joined if a_joined is not None else [joined_name(x) for x in a])
    b_ns = _strings(b_joined if b_joined is not None else [joined_name(x) for x in b])
    joined = _cp(a_ns, b_ns, fuzz.ratio)
    best = np.maximum(sort, joined)
    out = np.full(len(a), 6, dtype=np.int8)
    out[best >= 60] = 5
    out[best >= 80] = 4
    # One name inside the other once both are written without spaces ("de priest" in
    # "chicago public schools depriest oscar"): similar, not less (JOINED_INSIDE_MIN).
    low = np.flatnonzero(out > 4)
    if len(low):
        out[low[joined_inside(a_ns[low], b_ns[low])]] = 4
    # token_set_ratio is 100 exactly when one name's words are all in the other's.
    tset = _cp(a, b, fuzz.token_set_ratio)
    contained = tset >= 100
    # Or all in it but for abbreviations ("national teachers acad" / "... academy", "blk
    # 45" / "block 45"): looked at only where the word sets are alike enough to be worth
    # a Python loop (ABBREVIATION_SET_RATIO; the SQL engine asks the same).
    ask = np.flatnonzero(~contained & (best < 92) & (tset >= ABBREVIATION_SET_RATIO))
    if len(ask):
        contained[ask] = [abbreviated_contained(a[k], b[k]) for k in ask.tolist()]
    out[contained & (out > 3)] = 3
    # A name broken into pieces: near when the names without spaces are alike enough.
    ask = np.flatnonzero((out > 2) & (joined >= FRAGMENTED_RATIO))
    if len(ask):
        broken = [fragmented(a[k]) or fragmented(b[k]) for k in ask.tolist()]
        out[ask[np.asarray(broken, dtype=bool)]] = 2
    out[best >= 92] = 2
    sa, sb = _strings(a), _strings(b)
    out[(sa == sb) | (a_ns == b_ns)] = 1
    out[(sa == "") | (sb == "")] = 0
    return out


# A joined name (`joined_name`) of at least this many letters found inside the other joined
# name makes the names "similar" at least: a site's name behind its parent body's written
# with other spacing ("de priest" / "chicago public schools depriest oscar", "fresh start
# daycare" / "... fresh start day care center"), or a name the source broke into pieces.
# Shorter ones are found inside unrelated names too often ("ace", "star").
JOINED_INSIDE_MIN = 6

# A name the source broke into pieces (text pulled out of a PDF: "br and i x asl ( li ng e
# r i e )", "ale x tr i c o t sr l"): 3+ words of letters, at least half of them
# FRAGMENT_LETTERS letters or fewer. Its words say little, so the names are compared
# without spaces: "near" when that reaches FRAGMENTED_RATIO (`name_levels`). Whole names
# ("7 eleven", "blk 59", "pizza hut") are not fragments: too few short words.
FRAGMENT_LETTERS = 2
FRAGMENTED_RATIO = 85
_LETTERS_RE = re.compile(r"[a-z]+")


@lru_cache(maxsize=500_000)
def fragmented(name: str) -> bool:
    """Is the cleaned name broken into pieces (see FRAGMENT_LETTERS)?"""
    words = [w for w in name.split() if _LETTERS_RE.fullmatch(w)]
    short = sum(len(w) <= FRAGMENT_LETTERS for w in words)
    return len(words) >= 3 and 2 * short >= len(words)


def joined_inside(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair of joined names: is one, JOINED_INSIDE_MIN letters or longer, a substring
    of the other?"""
    f = pl.DataFrame({"a": a.tolist(), "b": b.tolist()}, schema={"a": pl.String, "b": pl.String})
    inside = (
        (pl.col("a").str.len_chars() >= JOINED_INSIDE_MIN)
        & pl.col("b").str.contains(pl.col("a"), literal=True)
    ) | (
        (pl.col("b").str.len_chars() >= JOINED_INSIDE_MIN)
        & pl.col("a").str.contains(pl.col("b"), literal=True)
    )
    return f.select(inside).to_series().to_numpy().astype(bool)


# The place written into a name ------------------------------------------------------
# "original apparaels bandaragama" at "... bandaragama sri lanka" / "origi nal appar ae
# ls" at the same address: a town or street both addresses carry, written into one name,
# says where the site is, not which one. Names that are the same once such words are set
# aside (joined: `joined_name` without articles is not needed, the words are compared
# whole) are "exact", if what is left still names something: one of its words is carried
# by fewer than GENERIC_WORD_COUNT registry facilities ("primary school" / "jurong west
# primary school" on Jurong West St is two schools). Measured in docs/supplychain.md
# ("The place written into a name"). Only names that do not agree already (similar or
# less, PLACE_WORDS_FROM): setting the shared place aside from names that agree as near or
# contained ("Lotus Apparel" / "Unit A Lotus Apparel" at "Unit A, 5 Lotus Rd") made the
# unit-named record "exact, unique" and let it win automatically over the registry's two
# records named "Lotus Apparel" at that address, where a person has to choose.
PLACE_WORDS_FROM = 4


def without_place_words(
    a: Sequence[str],
    b: Sequence[str],
    address_a: Sequence[str],
    address_b: Sequence[str],
    base: np.ndarray,
    rare: Any | None = None,
    keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Base name levels, with "exact" where the names are the same once the words both
    addresses carry are set aside. `rare(k, words)`: does one of pair k's remaining words
    name something (None: no registry to count in, every word does)? `keys`: see
    `place_word_pairs`."""
    out = base.copy()
    ks = np.flatnonzero(base >= PLACE_WORDS_FROM)
    if not len(ks):
        return out
    # Only pairs where a word both addresses carry stands in a name (found per record,
    # vectorised) can change: the per-pair Python below runs on those alone.
    for k in ks[place_word_pairs(a, b, address_a, address_b, ks, keys)].tolist():
        shared = words(address_a[k]) & words(address_b[k])
        x = [w for w in a[k].split() if w not in shared]
        y = [w for w in b[k].split() if w not in shared]
        if x and y and "".join(x) == "".join(y) and (rare is None or rare(k, x)):
            out[k] = 1
    return out


# A cleaned value whose words polars splits exactly as Python's `str.split()` does:
# lower-case letters and digits, single spaces between them. Others (another script,
# other white space) are split by Python.
_PLAIN_WORDS = r"^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$"


def _record_words(
    names: Sequence[str], addresses: Sequence[str], ks: np.ndarray, keys: np.ndarray | None
) -> tuple[np.ndarray, pl.DataFrame, pl.DataFrame]:
    """One side of pairs `ks` as records: each pair's record number, and as (r = record,
    w = word) lines each record's address words and the words of its name that stand
    in its own address (`words`; none where the address is empty)."""
    if keys is None:  # the same name and address: the same record
        seen: dict[tuple[str, str], int] = {}
        keys = np.zeros(len(names), dtype=np.int64)
        keys[ks] = [seen.setdefault((names[k], addresses[k]), len(seen)) for k in ks.tolist()]
    _, first, inverse = np.unique(keys[ks], return_index=True, return_inverse=True)
    at = ks[first]
    values = pl.DataFrame(
        {"name": _strings(names)[at].tolist(), "address": _strings(addresses)[at].tolist()},
        schema={"name": pl.String, "address": pl.String},
    ).with_row_index("r")

    def split(col: str) -> pl.DataFrame:
        plain = pl.col(col).str.contains(_PLAIN_WORDS)
        fast = (
            values.filter(plain)
            .select("r", w=pl.col(col).str.split(" "))
            .explode("w")
            .filter(pl.col("w") != "")
        )
        slow = values.filter(~plain)
        if not slow.height:
            return fast
        lines = [(r, w) for r, v in zip(slow["r"], slow[col], strict=True) for w in v.split()]
        extra = pl.DataFrame(
            {"r": [r for r, _ in lines], "w": [w for _, w in lines]},
            schema={"r": fast.schema["r"], "w": pl.String},
        )
        return pl.concat([fast, extra])

    # A word twice in a record is harmless below (`_any_in` asks "any"): no unique().
    address = split("address")
    own = split("name").join(address, on=["r", "w"], how="semi")
    return inverse.reshape(-1), address, own


def _any_in(
    pair_left: np.ndarray,
    left: pl.DataFrame,
    pair_right: np.ndarray,
    right: pl.DataFrame,
    size: int,
) -> np.ndarray:
    """Per pair: does one of its left record's words stand among its right record's words?
    (`left`, `right`: r, code lines; codes below `size`.)"""
    out = np.zeros(len(pair_left), dtype=bool)
    if not left.height or not right.height:
        return out
    left = left.sort("r", "code")
    rec = left["r"].cast(pl.Int64).to_numpy()
    ids = left["code"].cast(pl.Int64).to_numpy()
    n_records = int(max(pair_left.max(initial=-1), rec.max(initial=-1))) + 1
    counts = np.bincount(rec, minlength=n_records)
    starts = np.cumsum(counts) - counts
    codes = np.sort(right["r"].cast(pl.Int64).to_numpy() * size + right["code"].to_numpy())
    # One entry per (pair, word of its left record).
    per_pair = counts[pair_left]
    pair = np.repeat(np.arange(len(pair_left)), per_pair)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    wanted = pair_right[pair] * size + ids[starts[pair_left[pair]] + offset]
    at = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
    out[pair[codes[at] == wanted]] = True
    return out


def place_word_pairs(
    a: Sequence[str],
    b: Sequence[str],
    address_a: Sequence[str],
    address_b: Sequence[str],
    ks: np.ndarray,
    keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Per pair of `ks` (positions): does a word that both addresses carry (`words`)
    stand in either name? That is: a word of a's name that is in a's address stands in
    b's address, or the other way round, so the words are read once per record, not
    per pair (split with polars, codes compared with numpy). `keys`: per pair (all
    positions, not only `ks`), a number for the a side's record and one for the b
    side's (pairs with the same number have the same name and address: a list row, a
    registry facility); None: every pair its own records."""
    pair_a, address_a_words, own_a = _record_words(
        a, address_a, ks, None if keys is None else keys[0]
    )
    pair_b, address_b_words, own_b = _record_words(
        b, address_b, ks, None if keys is None else keys[1]
    )
    # Only the words of a name that stand in its own address can make a pair.
    vocabulary = pl.concat([own_a["w"], own_b["w"]]).unique().to_frame("w").with_row_index("code")
    if not vocabulary.height:
        return np.zeros(len(ks), dtype=bool)

    def coded(lines: pl.DataFrame) -> pl.DataFrame:
        return lines.join(vocabulary, on="w").select("r", pl.col("code").cast(pl.Int64))

    size = vocabulary.height
    return _any_in(pair_a, coded(own_a), pair_b, coded(address_b_words), size) | _any_in(
        pair_b, coded(own_b), pair_a, coded(address_a_words), size
    )


# Parts of a place ----------------------------------------------------------------------
# Words that name a part of a place, not the place: "Pool @ Martin Place Residences",
# "Car Park | Scotts Square", "Canteen | Bedok North Secondary School", a factory's
# warehouse or dormitory. A name that is the other one plus such a word is another
# record of the same site at best: never an automatic match (`part_of_place`, used by
# `model.supported`'s callers in both engines); a person decides.
PART_WORDS = frozenset(
    {
        "pool", "swimming", "gym", "fitness", "sauna", "playground", "carpark", "parking",
        "court", "courts", "canteen", "cafeteria", "toilet", "toilets", "restroom", "lobby",
        "entrance", "room", "bbq", "clubhouse", "warehouse", "dormitory",
    }
)  # fmt: skip
PART_PHRASES = ("car park",)
_CONTAINED_LEVELS = tuple(sorted({*_TF_SPLIT[3], *_GENERIC_SPLIT[3]}))


def part_of_place(a: Sequence[str], b: Sequence[str], name_level: np.ndarray) -> np.ndarray:
    """Per pair of cleaned names whose (fine) name level is "contained": do the words one
    name has beyond the other name a part of a place (PART_WORDS, PART_PHRASES)?"""
    out = np.zeros(len(name_level), dtype=bool)
    for k in np.flatnonzero(np.isin(name_level, _CONTAINED_LEVELS)).tolist():
        x, y = str(a[k]), str(b[k])
        wa, wb = set(x.split()), set(y.split())
        longer, shorter = (x, y) if len(wa) >= len(wb) else (y, x)
        out[k] = bool((wa ^ wb) & PART_WORDS) or any(
            f" {p} " in f" {longer} " and f" {p} " not in f" {shorter} " for p in PART_PHRASES
        )
    return out


# Abbreviations -------------------------------------------------------------------------
# A name word abbreviates a longer word of the other name when both are letters only, have
# the same first letter and either the short word is the long one's start, cut by 3+
# letters, at 4+ letters itself ("acad" / "academy", "univ" / "university"),
# or, at 3+ letters, has no vowel after its first letter and its letters come in order in
# the long word: a contraction ("ctr" / "center", "intl" / "international", "blk" /
# "block", "assn" / "association", "mfg" / "manufacturing"). A shorter start, or one
# cut by fewer letters, is another word more often than an abbreviation ("bar" /
# "barber", "sun" / "sunset", "kirk" / "kirkyard"); measured in docs/supplychain.md.
ABBREVIATION_MIN = 3
ABBREVIATION_PREFIX_MIN = 4
ABBREVIATION_PREFIX_CUT = 3
# Pairs whose token set ratio is below this are not looked at for abbreviations: a cheap
# filter (C++) before a Python loop. On the real sets no abbreviated pair below 70 was a
# match (22 were not), and it leaves ~15% of the pairs to the loop.
ABBREVIATION_SET_RATIO = 70.0
_LETTERS = re.compile(r"[a-z]+")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=500_000)
def abbreviates(short: str, word: str) -> bool:
    """Is `short` an abbreviation of `word` (see ABBREVIATION_MIN above)?"""
    if (
        len(short) < ABBREVIATION_MIN
        or len(word) <= len(short)
        or short[0] != word[0]
        or not _LETTERS.fullmatch(short)
        or not _LETTERS.fullmatch(word)
    ):
        return False
    if word.startswith(short):
        return (
            len(short) >= ABBREVIATION_PREFIX_MIN
            and len(word) >= len(short) + ABBREVIATION_PREFIX_CUT
        )
    if not _VOWELS.isdisjoint(short[1:]):
        return False
    rest = iter(word[1:])
    return all(c in rest for c in short[1:])


# An acronym: a word of ACRONYM_MIN or more letters that is the initials of consecutive
# words of the other name ("us" / "united states", "hs" / "high school", "thorp jn" /
# "thorp james n": a person's surname with the initials of the given names). Only the
# other name's words that the first name lacks are read, in their order.
ACRONYM_MIN = 2


def acronym(short: str, initials: str) -> bool:
    """Is `short` (letters only) the initials of consecutive words, `initials` being the
    first letters of the other name's words (those the first name lacks) in order?"""
    return len(short) >= ACRONYM_MIN and short.isalpha() and short.isascii() and short in initials


def abbreviated_contained(a: str, b: str) -> bool:
    """The names share a word, and every word of one that the other lacks abbreviates a
    word of the other that the first lacks ("hull house assn parkway" / "hull house
    association parkway community center") or is the initials of consecutive such words
    (`acronym`)."""
    wa, wb = words(a), words(b)
    if wa.isdisjoint(wb):
        return False
    for x, y, name in ((wa, wb, b), (wb, wa, a)):
        rest, other = x - y, y - x
        if not rest:
            continue
        initials = "".join(w[0] for w in name.split() if w not in x)
        if all(any(abbreviates(s, w) for w in other) or acronym(s, initials) for s in rest):
            return True
    return False


def _strings(values: Sequence[str]) -> np.ndarray:
    """Values as a numpy object array: elementwise == runs in C."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _id_lists(col: str) -> pl.Expr:
    """`identifiers` as a polars list: short numbers and 'u:<unit>'."""
    nums = (
        pl.col(col)
        .str.extract_all(r"\d+")
        .list.eval(
            pl.element()
            .filter(pl.element().str.len_chars() <= 4)
            .str.strip_chars_start("0")
            .replace("", "0")
        )
    )
    units = (
        pl.col(col)
        .str.extract_all(_UNIT_PATTERN)
        .list.eval(pl.element().str.replace(r"^.* ", "u:"))
        .list.eval(pl.element().filter(~pl.element().str.contains(r"^u:[0-9]+$")))
    )
    return pl.concat_list(nums, units).list.unique()


# How alike two addresses are: the greater of their token set ratio (words in any order,
# one address's words inside the other's) and the plain ratio of the two written without
# spaces, as the name levels read names ("best"): a supplier's address typed with its
# words glued together ("pallerotamamadalanonagama", "s a de c vcalle circunvalacion
# pol a 3urbanizacion ...") shares few words with the same address written out, but most
# of its letters. Measured in docs/supplychain.md ("Addresses written without spaces").
def address_levels(
    a: Sequence[str],
    b: Sequence[str],
    keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """See ADDRESS_LEVELS; similarity in rapidfuzz, the rest with numpy. Two addresses
    with the same house number and street word (`street_keys`) are "same number and
    street" whatever else they add (a postcode, the street type, the city), unless
    their numbers conflict. `keys`: per pair, a number for the a side's record and one
    for the b side's (pairs with the same number have the same address; see
    `place_word_pairs`): what is read of one address (its identifiers, its glued form)
    is read once per record, not per pair. None: every pair its own records."""
    n = len(a)
    if not n:
        return np.zeros(0, dtype=np.int8)
    sa, sb = _strings(a), _strings(b)
    whole = np.arange(n, dtype=np.int64)
    side_a = _address_records(sa, whole if keys is None else keys[0])
    side_b = _address_records(sb, whole if keys is None else keys[1])
    ia, ib = side_a["inverse"], side_b["inverse"]
    # The addresses' words, or the addresses written without spaces, whichever is more
    # alike (see above): an address typed with its words glued together
    # ("pallerotamamadalanonagama" / "pallerota mamadala nonagama 82109 sri lanka").
    t = np.maximum(
        _cp(sa, sb, fuzz.token_set_ratio), _cp(side_a["glued"][ia], side_b["glued"][ib], fuzz.ratio)
    )
    # Identifiers (`identifiers`, as `_id_lists` reads them) as codes of one vocabulary.
    vocabulary = (
        pl.concat([side_a["ids"]["v"], side_b["ids"]["v"], side_a["first"], side_b["first"]])
        .drop_nulls()
        .unique()
    )
    code = pl.DataFrame({"v": vocabulary}).with_row_index("code", offset=0)

    def codes(values: pl.Series) -> np.ndarray:
        found = values.to_frame("v").join(code, on="v", how="left", maintain_order="left")
        return found["code"].fill_null(-1).cast(pl.Int64).to_numpy()

    size = max(len(code), 1)
    common = _shared_counts(
        ia,
        side_a["ids"]["r"].to_numpy(),
        codes(side_a["ids"]["v"]),
        side_a["count"],
        ib,
        side_b["ids"]["r"].to_numpy(),
        codes(side_b["ids"]["v"]),
        size,
    )
    la, lb = side_a["count"][ia], side_b["count"][ib]
    conflict = (la > 0) & (lb > 0) & (common < la) & (common < lb)
    # A shared house, plot or unit number (not a postcode: many places share one).
    number_and_similar = (common > 0) & (t >= 85)
    # The street keys are read only where they can change the level: a shared street
    # key needs a shared house number, or the same five-digit one first (a Python loop
    # over those pairs alone).
    fa, fb = codes(side_a["first"])[ia], codes(side_b["first"])[ib]
    same = sa == sb
    ask = ((common > 0) | ((fa == fb) & (fa >= 0))) & ~conflict & ~number_and_similar & ~same
    street = np.zeros(n, dtype=bool)
    if ask.any():
        at = np.flatnonzero(ask)
        street[at] = shared_street(sa[at].tolist(), sb[at].tolist())
    # The first that holds, in this order.
    level = np.select(
        [
            (sa == "") | (sb == ""),
            same,
            # Conflicting numbers: next door when the rest agrees, else another street.
            conflict & (t >= 60),
            conflict,
            number_and_similar | street,
            t >= 85,
            t >= 60,
        ],
        [0, 1, 4, 6, 2, 3, 5],
        default=6,
    )
    return level.astype(np.int8)


def _address_records(values: np.ndarray, keys: np.ndarray) -> dict[str, Any]:
    """One side of the pairs as records: per pair its record (`inverse`), and per record
    its address without spaces (`glued`), its identifiers (`ids`: r = record, v = value,
    as `_id_lists`), how many (`count`) and a five-digit number it starts with
    (`first`, null for none)."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    f = pl.DataFrame({"a": values[first].tolist()}, schema={"a": pl.String})
    read = f.select(
        glued=pl.col("a").str.replace_all(" ", "", literal=True),
        ids=_id_lists("a"),
        first=pl.col("a").str.extract(r"^(\d{5}[a-z]?)(?: |$)"),
    )
    ids = (
        read.select(pl.int_range(0, pl.len(), dtype=pl.Int64).alias("r"), v="ids")
        .explode("v")
        .drop_nulls("v")
    )
    return {
        "inverse": inverse.reshape(-1),
        "glued": _strings(read["glued"].to_list()),
        "ids": ids,
        "count": read["ids"].list.len().cast(pl.Int64).to_numpy(),
        "first": read["first"],
    }


def _shared_counts(
    pair_a: np.ndarray,
    rec_a: np.ndarray,
    code_a: np.ndarray,
    count_a: np.ndarray,
    pair_b: np.ndarray,
    rec_b: np.ndarray,
    code_b: np.ndarray,
    size: int,
) -> np.ndarray:
    """Per pair: how many of its a record's codes (`rec_a`/`code_a`: one line per record
    and code, records in order, no code twice in a record) its b record carries too."""
    out = np.zeros(len(pair_a), dtype=np.int64)
    if not len(code_a) or not len(code_b):
        return out
    carried = np.sort(rec_b * size + code_b)
    starts = np.searchsorted(rec_a, np.arange(len(count_a)))
    per_pair = count_a[pair_a]
    pair = np.repeat(np.arange(len(pair_a)), per_pair)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    wanted = pair_b[pair] * size + code_a[starts[pair_a[pair]] + offset]
    at = np.minimum(np.searchsorted(carried, wanted), len(carried) - 1)
    return np.bincount(pair[carried[at] == wanted], minlength=len(pair_a)).astype(np.int64)


_HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$")
# Five digits first, with no shorter number after it: a house number ("10414 s state
# 60628"; American suburbs count to five digits), not a postcode.
_LONG_HOUSE_NUMBER = re.compile(r"^\d{5}[a-z]?$")


# Words that say what kind of street or place follows, not which one: "117 sok no 2"
# (117th street, number 2) names no street, and "2|sok" would join two neighbourhoods.
STREET_TYPES = frozenset(
    [
        "ave",
        "blvd",
        "hwy",
        "sok",
        "cad",
        "cadde",
        "mah",
        "bldg",
        "ind",
        "est",
        "zone",
        "dist",
        "prov",
        "vill",
        "blk",
        "unit",
        "lot",
        "plot",
        "calle",
        "rua",
        "via",
        "carrera",
        "moo",
        "soi",
        "phum",
        "sector",
        "phase",
        "km",
    ]
)


# A numbered street's name: an ordinal ("119th", "1st", "22nd", "3rd"), as American
# and Canadian addresses name streets ("545 W 119th Street"). Any other word that starts
# with a digit is a number, not a street's name.
ORDINAL_STREET = r"^[0-9]+(?:st|nd|rd|th)$"
_ORDINAL_STREET = re.compile(ORDINAL_STREET)


def _street_word(w1: str, w2: str) -> str:
    """The street word beside a number: the nearer of the two words that has 3+
    characters and is not a street type; "" when that is a number (not an ordinal:
    ORDINAL_STREET) or there is none."""
    for word in (w1, w2):
        if len(word) < 3 or word in STREET_TYPES:
            continue
        return "" if word[0].isdigit() and not _ORDINAL_STREET.match(word) else word
    return ""


@lru_cache(maxsize=500_000)
def street_keys(address: str) -> frozenset[str]:
    """House number (up to 4 digits, or 5 at the start with no shorter number after it;
    other long numbers are postcodes) + street word pairs of a cleaned address, the street word read after the number ("4846 n sheridan" ->
    "4846|sheridan") and before it ("yonge st 444" -> "444|yonge", "cad no 9")."""
    tokens = ["", "", *address.split(" "), "", ""]
    long_first = bool(_LONG_HOUSE_NUMBER.match(tokens[2])) and not any(
        _HOUSE_NUMBER.match(t) for t in tokens
    )
    out = set()
    for i in range(2, len(tokens) - 2):
        t = tokens[i]
        if not (_HOUSE_NUMBER.match(t) or (i == 2 and long_first)):
            continue
        after = _street_word(tokens[i + 1], tokens[i + 2])
        before = _street_word(tokens[i - 1], tokens[i - 2])
        for street in (after, before):
            if street:
                out.add(f"{t}|{street}")
    return frozenset(out)


def shared_street(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Per pair: do both addresses carry a common `street_keys` pair?"""
    return np.fromiter(
        (not street_keys(x).isdisjoint(street_keys(y)) for x, y in zip(a, b, strict=True)),
        dtype=bool,
        count=len(a),
    )


# Twins: one place the registry holds twice ------------------------------------------
# Two sources list the same site, or a map holds a place as a point and as a building
# outline: two registry records with the same name (`joined_name`, same country), no
# conflicting house or unit numbers, both with coordinates, within TWIN_METERS of each
# other. Such a pair is one place: it does
# not split a row's probability (`matching.rivals`), does not count twice in how common
# the name is (`matching._tf_counts`) and is no "other place with the name nearby"
# (`matching._nearby_counts`). TWIN_METERS: the size of a large building or a factory
# compound, within which a place's point and the centre of its outline lie; two branches
# of a chain on one street are told apart by their house numbers (a conflict), and
# the figures of docs/supplychain.md ("One place registered twice") did not move
# precision at 50, 100, 200 or 500 m. Without coordinates the same name at the same
# address stays two records for a person to decide: one building can hold two
# factories of one group, and no labelled set here measures that case.
TWIN_METERS = 100.0


def numbers_conflict(a: str, b: str) -> bool:
    """Each address has a house, plot or unit number the other lacks (`identifiers`)."""
    ia, ib = identifiers(a), identifiers(b)
    return bool(ia) and bool(ib) and not ia <= ib and not ib <= ia


def twins(
    country_a: np.ndarray,
    joined_a: np.ndarray,
    address_a: np.ndarray,
    lat_a: np.ndarray,
    lng_a: np.ndarray,
    country_b: np.ndarray,
    joined_b: np.ndarray,
    address_b: np.ndarray,
    lat_b: np.ndarray,
    lng_b: np.ndarray,
) -> np.ndarray:
    """Per pair of registry records (object arrays of cleaned values, float arrays of
    coordinates, NaN = unknown): are they one place registered twice (see TWIN_METERS)?"""
    n = len(joined_a)
    if not n:
        return np.zeros(0, dtype=bool)
    joined_a, joined_b = _objects_of(joined_a), _objects_of(joined_b)
    address_a, address_b = _objects_of(address_a), _objects_of(address_b)
    same = (_objects_of(country_a) == _objects_of(country_b)) & (joined_a == joined_b)
    same &= joined_a != ""
    out = np.zeros(n, dtype=bool)
    ks = np.flatnonzero(same)
    if not len(ks):
        return out
    la, ga = np.asarray(lat_a, dtype=np.float64)[ks], np.asarray(lng_a, dtype=np.float64)[ks]
    lb, gb = np.asarray(lat_b, dtype=np.float64)[ks], np.asarray(lng_b, dtype=np.float64)[ks]
    meters = distances_m(la, ga, lb, gb)
    with np.errstate(invalid="ignore"):
        near = ~np.isnan(meters) & (meters <= TWIN_METERS)
    for i in np.flatnonzero(near).tolist():
        near[i] = not numbers_conflict(str(address_a[ks[i]]), str(address_b[ks[i]]))
    out[ks] = near
    return out


def _objects_of(values: np.ndarray) -> np.ndarray:
    return values if values.dtype == object else values.astype(object)


def twin(a: tuple[str, str, str, float, float], b: tuple[str, str, str, float, float]) -> bool:
    """`twins` of one pair of records, each (country, joined name, address, lat, lng), in
    plain Python (a row's few candidates: no arrays to build)."""
    ca, ja, aa, lat1, lng1 = a
    cb, jb, ab, lat2, lng2 = b
    if ca != cb or not ja or ja != jb:
        return False
    if math.isnan(lat1) or math.isnan(lng1) or math.isnan(lat2) or math.isnan(lng2):
        return False
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    meters = 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(h)))
    return meters <= TWIN_METERS and not numbers_conflict(aa, ab)


def name_word_levels(counts: np.ndarray, compared: np.ndarray) -> np.ndarray:
    """NAME_WORD_LEVELS from the registry count of the rarest word both names carry
    (0: none in common) where `compared`, else "not compared"."""
    out = np.where(counts <= 0, 4, np.where(counts <= 1, 1, np.where(counts < 10, 2, 3)))
    return np.where(compared, out, 0).astype(np.int8)


def word_compared(base_name: np.ndarray, address: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Pairs whose shared name words are compared: names one inside the other or less
    alike as wholes, with an address that agrees at least in part or places within
    200 m. (For a contained name the shared words include joined pairs: "columbus
    park" is rarer than "columbus", which the name level's frequency split reads.)"""
    return (base_name >= 3) & (np.isin(address, [1, 2, 3, 5]) | np.isin(distance, WITHIN_200_M))


def nearby_compared(base_name: np.ndarray, counts: np.ndarray, meters: np.ndarray) -> np.ndarray:
    """Pairs whose namesakes nearby are looked for: the names agree (exact or near;
    a contained name is as often a building and the shop in it), other facilities of
    the country carry the name (`counts` > 1: for a unique name the country count has
    said it all) and both places are known and within NEARBY_METERS."""
    with np.errstate(invalid="ignore"):
        close = meters <= NEARBY_METERS
    agree = (base_name >= 1) & (base_name <= 2) & (counts > 1)
    return agree & close & ~np.isnan(meters)


def name_nearby_levels(nearest: np.ndarray, compared: np.ndarray) -> np.ndarray:
    """NAME_NEARBY_LEVELS from the distance in metres of the nearest other registry
    place with either name (inf: none within NEARBY_METERS), where `compared`."""
    level = np.where(nearest <= CLOSE_METERS, 3, np.where(nearest <= NEARBY_METERS, 2, 1))
    return np.where(compared, level, 0).astype(np.int8)


def distance_levels(meters: np.ndarray) -> np.ndarray:
    """Levels from distances in metres (NaN = a side without coordinates)."""
    out = np.full(len(meters), len(_DISTANCE_LIMITS) + 1, dtype=np.int8)
    for level, limit in reversed(list(enumerate(_DISTANCE_LIMITS, start=1))):
        out[meters <= limit] = level
    out[np.isnan(meters)] = 0
    return out


def distances_m(
    lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray
) -> np.ndarray:
    """Haversine distances in metres, vectorised; NaN where a coordinate is missing."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lng2 - lng1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_000.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def name_number_levels(
    a: Sequence[str],
    b: Sequence[str],
    address_a: Sequence[str] | None = None,
    address_b: Sequence[str] | None = None,
    keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """none (no number in either name) / same numbers / one side's numbers all in the
    other's / the numbers differ (each name has one the other lacks). With the
    addresses given, a name's numbers that stand in both addresses are not counted:
    the address written into the name ("Firman West II 4644 S. Dearborn" at 4644 S
    Dearborn, "Little Hands II (87th)" on W 87th St) says where the site is, not which
    branch it is, and the address level has counted it already. A number in one
    address only still counts ("blk 59" at 59 Ang Mo Kio / "blk 61" with no address)."""
    out = np.zeros(len(a), dtype=np.int8)
    # Names without a number are "none" whatever the addresses say: only pairs where a
    # name has one are read (`keys`: see `place_word_pairs`; per record, not per pair).
    at = np.flatnonzero(
        _maybe_number(a, None if keys is None else keys[0])
        | _maybe_number(b, None if keys is None else keys[1])
    )
    if not len(at):
        return out
    none = [""] * len(at)
    f = (
        pl.DataFrame(
            {
                "a": _strings(a)[at].tolist(),
                "b": _strings(b)[at].tolist(),
                "aa": _strings(address_a)[at].tolist() if address_a is not None else none,
                "ab": _strings(address_b)[at].tolist() if address_b is not None else none,
            },
            schema={"a": pl.String, "b": pl.String, "aa": pl.String, "ab": pl.String},
        )
        .with_columns(
            shared=pl.col("aa")
            .str.extract_all(r"\d+")
            .list.set_intersection(pl.col("ab").str.extract_all(r"\d+"))
        )
        .with_columns(
            na=pl.col("a")
            .str.extract_all(r"\d+")
            .list.set_difference("shared")
            .list.unique()
            .list.sort(),
            nb=pl.col("b")
            .str.extract_all(r"\d+")
            .list.set_difference("shared")
            .list.unique()
            .list.sort(),
        )
    )
    level = (
        pl.when((pl.col("na").list.len() == 0) & (pl.col("nb").list.len() == 0))
        .then(0)
        .when(pl.col("na") == pl.col("nb"))
        .then(1)
        .when(
            (pl.col("na").list.set_difference("nb").list.len() > 0)
            & (pl.col("nb").list.set_difference("na").list.len() > 0)
        )
        .then(3)
        .otherwise(2)
    )
    out[at] = f.select(level.cast(pl.Int8)).to_series().to_numpy()
    return out


# A digit, or any character outside ASCII (a digit of another script: "\d" reads those).
_MAYBE_NUMBER = re.compile(r"[0-9]|[^\x00-\x7f]")


def _maybe_number(values: Sequence[str], keys: np.ndarray | None) -> np.ndarray:
    """Per value: might it hold a number (`_MAYBE_NUMBER`)? With `keys` (values with
    the same key are the same), each value is read once."""
    search = _MAYBE_NUMBER.search

    def maybe(v: Any) -> bool:  # not text (None): read as before, by polars
        return not isinstance(v, str) or search(v) is not None

    if keys is None:
        return np.fromiter((maybe(v) for v in values), dtype=bool, count=len(values))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    found = np.fromiter(
        (maybe(v) for v in _strings(values)[first].tolist()), dtype=bool, count=len(first)
    )
    return found[inverse.reshape(-1)]


# The operator's name in front of the site's -------------------------------------------
# Supplier lists often write a group's or operator's name before each site's
# ("Hirdaramani - Mercury", "MAS Active Linea Aqua", "Chicago Public Schools Penn") where
# the registry holds the site under its own name. The list itself says which leading
# words are such a name: the words OPERATOR_NAMES or more of its names start with
# (`operator_prefixes`; a one-row list never has one). With them set aside, a pair whose
# names are similar or less alike as wholes reads "the site's name inside the other"
# (`operator_levels`) where the rest of the row's name is inside the registry name, the
# address is the same (exact, or the same number and street) and the rest still names a
# site: it keeps a *site word* (`site_words`).
#
# What makes the rest a site's name rather than a place: a site is named by words that
# are not places. The list's own addresses say which words are places for this list:
# its streets, districts, towns and the direction words written with them ("lake" of
# Lake St, "morse" of Morse Ave, "west"). A branch named by its district after the
# operator ("Mary Crane Center Lake & Pulaski", "Henry Booth House Loop") tells the
# operator's sites apart by where they are, which the address already compares; the
# rest identifies the site only through a word that no address of the list and not the
# candidate's address carries, and that fewer than GENERIC_WORD_COUNT registry
# facilities of the country carry (a kind of place, "day care", "center", names none).
# The same reading as the place written into a name (`without_place_words`), taken
# from the whole list instead of one pair's two addresses. Chosen before measuring;
# measured in docs/supplychain.md ((y7)).
OPERATOR_NAMES = 3
# Names from this base level on (similar, weak, different) may read the site's name.
OPERATOR_FROM = 4


def operator_prefixes(names: Sequence[str]) -> list[int]:
    """Per cleaned name of one list: how many of its leading words are an operator's
    name, the longest run of leading words (leaving at least one word) that
    OPERATOR_NAMES or more distinct names of the list start with; 0: none."""
    distinct = {n for n in names if n}
    counts: dict[tuple[str, ...], int] = {}
    for n in distinct:
        ws = tuple(n.split())
        for i in range(1, len(ws)):
            counts[ws[:i]] = counts.get(ws[:i], 0) + 1
    out: dict[str, int] = {}
    for n in distinct:
        ws = tuple(n.split())
        out[n] = next(
            (i for i in range(len(ws) - 1, 0, -1) if counts.get(ws[:i], 0) >= OPERATOR_NAMES), 0
        )
    return [out.get(n, 0) for n in names]


def address_words(addresses: Sequence[str]) -> frozenset[str]:
    """Every word of a list's cleaned addresses (its places, `site_words`)."""
    return frozenset(w for a in addresses if a for w in a.split())


def site_words(
    rests: Sequence[Sequence[str]],
    places: frozenset[str],
    addresses: Sequence[str],
    count: Any | None = None,
) -> np.ndarray:
    """Per rest of a name (its operator's name set aside): does it keep a word that
    names a site, not a word of the list's addresses (`places`) nor of the candidate's
    address (`addresses`, one per rest), and carried by fewer than GENERIC_WORD_COUNT
    registry facilities of the country? `count(ix, words)`: the registry counts of
    those words, `ix` saying whose rest each is (one lookup for all; None: no registry
    to count in, every word is rare)."""
    kept = [
        [w for w in rest if w not in places and w not in words(address)]
        for rest, address in zip(rests, addresses, strict=True)
    ]
    out = np.array([bool(ws) for ws in kept], dtype=bool)
    if count is None or not out.any():
        return out
    ix = [i for i, ws in enumerate(kept) for _ in ws]
    counts = np.asarray(count(ix, [w for ws in kept for w in ws]), dtype=np.int64)
    rare = np.zeros(len(kept), dtype=bool)
    np.logical_or.at(rare, np.asarray(ix, dtype=np.int64), counts < GENERIC_WORD_COUNT)
    return rare


def operator_levels(
    a: Sequence[str],
    b: Sequence[str],
    base: np.ndarray,
    address: np.ndarray,
    prefix: np.ndarray | None,
    site: Any | None = None,
) -> np.ndarray:
    """OPERATOR_LEVELS per pair: `prefix` is how many leading words of the row's name
    (a) are the list's operator name (`operator_prefixes`; None: no list); `site(ks,
    rests)` says per pair of `ks` whether its rest keeps a site word (`site_words`;
    None: any rest does)."""
    out = np.zeros(len(base), dtype=np.int8)
    if prefix is None or not len(base):
        return out
    ks, rests = [], []
    wanted = (base >= OPERATOR_FROM) & np.isin(address, [1, 2]) & (prefix > 0)
    for k in np.flatnonzero(wanted).tolist():
        rest = a[k].split()[int(prefix[k]) :]
        if rest and set(rest) <= words(b[k]):
            ks.append(k)
            rests.append(rest)
    if ks:
        at = np.asarray(ks, dtype=np.int64)
        ok = np.ones(len(ks), dtype=bool) if site is None else site(at, rests)
        out[at[ok]] = 1
    return out


# together: evidence that counts differently when it comes together ----------------
# (name, what it means). The fields are not independent: a shop in a mall shares
# the mall's address, two branches of a chain share the name; so "the name and
# the place agree" gets a weight of its own beside each field's.
TOGETHER: list[tuple[str, str]] = [
    ("name and address", "the name agrees and the address is the same"),
    ("name and place", "the name agrees and the places are within 200 m"),
    ("address and place", "the address is the same and the places are within 50 m"),
    ("name alone", "the name agrees; no address or coordinates to check"),
]


# The sign a weight may take (+1: not below 0, -1: not above 0, 0: free), per level
# of each comparison and per TOGETHER term. Agreement never counts against a
# match and disagreement never for one, whatever one training set's quirks (shops
# sharing a mall's address) would make a free fit say; it keeps explanations
# readable and the model safe on data unlike its training sets.
SIGNS: dict[str, list[int]] = {
    "name": [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, -1, -1],
    "address": [0, 1, 1, 1, -1, 0, -1],
    "distance": [0, 1, 1, 0, 0, -1, -1],
    "name_number": [0, 1, 0, -1],
    "name_word": [0, 1, 1, 0, -1],
    "name_nearby": [0, 1, 0, -1],
    "name_operator": [0, 1],
    "together": [1, 1, 1, -1],
}


def together(levels: dict[str, np.ndarray]) -> np.ndarray:
    """0/1 per pair and TOGETHER term (columns in TOGETHER's order)."""
    name, address, distance = levels["name"], levels["address"], levels["distance"]
    agrees = np.isin(name, AGREEING_NAME_LEVELS)  # exact, near or contained, however common
    same_address = np.isin(address, [1, 2])
    return np.column_stack(
        [
            agrees & same_address,
            agrees & np.isin(distance, WITHIN_200_M),
            same_address & (distance == 1),
            agrees & (address == 0) & (distance == 0),
        ]
    ).astype(np.float64)
