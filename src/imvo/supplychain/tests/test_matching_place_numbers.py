"""Edge cases of `features.without_place_words` and `features.name_number_levels`, the two
comparisons that read the names against the addresses. Both are vectorised (records read
once, per-pair Python only where a pair can change); these hand-made pairs pin what
they answer, with and without the per-record `keys`, so the fast paths cannot drift.
(benchmarks/check_place_number_levels.py compares them with the per-pair code they
replaced on every candidate pair of the real sets.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from imvo.supplychain.matching import features

SIMILAR = features.BASE_NAME_LEVELS.index("similar")
CONTAINED = features.BASE_NAME_LEVELS.index("contained")
EXACT = features.BASE_NAME_LEVELS.index("exact")


def _place(
    pairs: Sequence[tuple[str, str, str | None, str | None]],
    base: list[int] | None = None,
    rare: Any = None,
    keys: tuple[list[int], list[int]] | None = None,
) -> list[str]:
    a, b, aa, ab = (list(col) for col in zip(*pairs, strict=True))
    levels = np.array(base if base is not None else [SIMILAR] * len(pairs), dtype=np.int8)
    k = None if keys is None else (np.array(keys[0]), np.array(keys[1]))
    out = features.without_place_words(a, b, aa, ab, levels, rare, k)
    return [features.BASE_NAME_LEVELS[int(v)] for v in out]


def test_a_place_word_both_addresses_carry_is_set_aside_from_one_name() -> None:
    pairs = [
        # The town in one name only, both addresses carry it: exact.
        (
            "original apparaels bandaragama",
            "origi nal appar ae ls",
            "welmilla bandaragama sri lanka",
            "bandaragama sri lanka",
        ),
        # The town in one address only: the name keeps it.
        ("original apparaels bandaragama", "origi nal appar ae ls", "bandaragama", "galle rd"),
        # Shared words that stand in neither name set nothing aside, even where the
        # names written without spaces are the same ("theb ar" / "the bar").
        ("the bar", "theb ar", "5 main st", "5 main st"),
        # What is left differs.
        ("xiamen longfu clothing", "longfu textiles", "no 1 xiamen", "no 2 rd xiamen"),
        # Nothing left of one name but the place.
        ("bandaragama", "bandaragama garments", "bandaragama", "bandaragama"),
        # The place word in both names, the rest the same once joined.
        ("dongguan ming ni", "mingni dongguan", "dongguan dist", "xinyong dongguan"),
    ]
    assert _place(pairs) == ["exact", "similar", "similar", "similar", "similar", "exact"]


def test_empty_addresses_and_agreeing_names_are_left_alone() -> None:
    pair = ("original apparaels bandaragama", "origi nal appar ae ls")
    pairs = [
        (*pair, "", "bandaragama"),
        (*pair, "bandaragama", ""),
        (*pair, None, "bandaragama"),
        (*pair, "   ", "bandaragama"),
        (*pair, "bandaragama", "bandaragama"),
    ]
    # Contained names (PLACE_WORDS_FROM) keep their level; the last pair is similar.
    assert _place(pairs, base=[SIMILAR, SIMILAR, SIMILAR, SIMILAR, CONTAINED]) == [
        "similar",
        "similar",
        "similar",
        "similar",
        "contained",
    ]
    assert _place(pairs[-1:]) == ["exact"]


def test_rare_is_asked_with_the_pair_and_the_words_left_in_order() -> None:
    """`rare(k, words)`: the row's remaining words, in order and with repeats, asked only
    for pairs that would otherwise turn exact, in the order of the pairs."""
    calls: list[tuple[int, list[str]]] = []

    def rare(k: int, remaining: list[str]) -> bool:
        calls.append((k, remaining))
        return k != 2

    pairs = [
        (
            "primary school jurong west",
            "jurong west primary school",
            "jurong west st 1",
            "1 jurong west st",
        ),
        ("hua hua denim", "hua huadenim", "bursa", "bursa"),  # no shared word in a name
        ("jurong primary school", "primary school", "jurong west", "jurong east"),
        ("jurong primary school", "primary school", "jurong west", "jurong east"),
        ("tianaz tianaz bursa", "tianaztianaz", "bursa", "osmangazi bursa"),
    ]
    out = _place(pairs, rare=rare)
    assert out == ["exact", "similar", "similar", "exact", "exact"]
    assert calls == [
        (0, ["primary", "school"]),
        (2, ["primary", "school"]),
        (3, ["primary", "school"]),
        (4, ["tianaz", "tianaz"]),
    ]


def test_keys_read_each_record_once_with_the_same_answers() -> None:
    """Pairs that share a row or a registry record (the same key) answer as without keys;
    a row whose name carries its town meets several records."""
    row = ("original apparaels bandaragama", "welmilla bandaragama")
    records = [
        ("origi nal appar ae ls", "bandaragama sri lanka"),
        ("origi nal appar ae ls", "kandy"),
        ("lanka knit", "bandaragama"),
    ]
    pairs = [(row[0], r[0], row[1], r[1]) for r in records] * 2
    expected = ["exact", "similar", "similar"] * 2
    assert _place(pairs) == expected
    assert _place(pairs, keys=([7] * 6, [0, 1, 2, 0, 1, 2])) == expected
    # The other way round: the registry's name carries the town.
    swapped = [(b, a, ab, aa) for a, b, aa, ab in pairs]
    assert _place(swapped, keys=([0, 1, 2, 0, 1, 2], [3] * 6)) == expected


def test_odd_spacing_is_read_as_str_split_reads_it() -> None:
    pairs = [
        (
            "original  apparaels\tbandaragama ",
            "origi nal appar ae ls",
            "bandaragama",
            " bandaragama  x",
        ),
    ]
    assert _place(pairs) == ["exact"]


def _numbers(
    a: list[str],
    b: list[str],
    aa: list[str] | None = None,
    ab: list[str] | None = None,
    keys: tuple[list[int], list[int]] | None = None,
) -> list[str]:
    k = None if keys is None else (np.array(keys[0]), np.array(keys[1]))
    out = features.name_number_levels(a, b, aa, ab, k)
    return [features.NAME_NUMBER_LEVELS[int(v)] for v in out]


def test_name_numbers_glued_to_words_and_leading_zeros() -> None:
    a = ["store12", "pathways cc1", "unit 07", "blk 5a", "mills", "no 528sec", "store 3"]
    b = ["store 14", "pathways", "unit 7", "blk 5 b", "mills", "no 528 sec", "store 3 3"]
    # Digits glued to letters are still numbers; numbers are compared as written, so
    # "07" and "7" differ (addresses strip leading zeros: `identifiers`; names do not).
    assert _numbers(a, b) == ["differ", "one side only", "differ", "same", "none", "same", "same"]


def test_numbers_both_addresses_carry_are_not_name_numbers() -> None:
    a = ["firman west 4644", "blk 59", "store 12", "teddy bear 5 5160", "hall"]
    b = ["firman house", "blk 61", "store 14", "teddy bear 5", "hall 2"]
    aa = ["4644 s dearborn", "59 ang mo kio", "12 main st", "5160 s pulaski", "2 main st"]
    ab = ["4644 s dearborn st", "", "14 main st", "5160 s pulaski rd", ""]
    assert _numbers(a, b, aa, ab) == ["none", "differ", "differ", "same", "one side only"]
    # Without addresses every name number counts.
    assert _numbers(a, b) == ["one side only", "differ", "differ", "one side only", "one side only"]
    # Numbers only in the addresses: no name number.
    assert _numbers(["mills"], ["mills"], ["12 main st"], ["14 main st"]) == ["none"]


def test_digits_of_other_scripts_and_keys() -> None:
    """A digit of another script is a number, as before (read by polars' \\d)."""
    a = ["store \u0663", "store 3", "mills", "mills 2"]
    b = ["store", "store \u0663", "mills", "mills"]
    expected = ["one side only", "differ", "none", "one side only"]
    assert _numbers(a, b) == expected
    assert _numbers(a, b, keys=([0, 1, 2, 3], [0, 1, 2, 2])) == expected
    # Repeated records with keys answer per pair as without.
    a2, b2 = a + a, b + b
    assert _numbers(a2, b2, keys=([0, 1, 2, 3] * 2, [0, 1, 2, 2] * 2)) == expected * 2
    assert _numbers([], []) == []
