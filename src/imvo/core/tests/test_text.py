"""core.text.fold: the one folding of stored search columns and queries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imvo.core.text import fold


@pytest.mark.parametrize(
    ("texts", "folded"),
    [
        (
            ["İstanbul", "ISTANBUL", "istanbul", "İSTANBUL", "i\u0307stanbul", "ıstanbul"],
            "istanbul",
        ),
        (["Kırklareli", "KIRKLARELI", "kirklareli", "KIRKLARELİ"], "kirklareli"),
        (["Guimarães", "GUIMARÃES", "Guimara\u0303es", "guimaraes"], "guimaraes"),
        (["Große Straße", "GROSSE STRASSE", "grosse strasse"], "grosse strasse"),
        (["Łódź", "LODZ"], "lodz"),
        (["ﬁne", "FINE"], "fine"),
    ],
)
def test_the_forms_a_person_types_fold_alike(texts: list[str], folded: str) -> None:
    assert {fold(t) for t in texts} == {folded}


@given(st.text())
def test_folding_twice_is_folding_once_and_case_does_not_count(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert fold(text.upper()) == fold(text.lower()) == once


def test_the_search_separator_survives() -> None:
    # PublicLocation.SEARCH_SEPARATOR joins folded columns: folding must keep it.
    assert fold("a\x1fB") == "a\x1fb"


@pytest.mark.parametrize(
    ("value", "number"),
    [("2025", 2025), ("007", 7), ("", None), ("²", None), ("١٢", None), ("-1", None),
     ("1.0", None), (" 5", None), ("9" * 10, None), ("9" * 9, 999_999_999), (None, None),
     (12, 12)],
)  # fmt: skip
def test_a_whole_number_is_ascii_digits_only(value: object, number: int | None) -> None:
    from imvo.core.text import whole_number

    assert whole_number(value) == number
