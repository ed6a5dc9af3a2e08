"""Normalisers: examples from real lists, and properties that must hold for any text.
(Countries are core's one vocabulary: core/tests/test_countries.py.)"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imvo.supplychain.normalise import (
    normalise_address,
    normalise_addresses,
    normalise_name,
    normalise_names,
)

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),  # type: ignore[arg-type]
    max_size=60,
) | st.from_regex(r"[A-Za-z .,&'()-]{0,40}", fullmatch=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("QUANZHOU XINXING FOOTWEAR CO., LTD", "Quanzhou Xinxing Footwear Limited"),
        ("P.T. Sinar Jaya Tbk", "PT SINAR JAYA"),
        ("Grupo Textil S.A. de C.V.", "grupo textil sa de cv"),
        ("S I N A R Textiles", "Sinar Textiles Co. Ltd."),
        ("Örnek Tekstil San. ve Tic. Ltd. Şti.", "ORNEK TEKSTIL"),
        ("sln tekstil karadeniz a.s.", "SLN Tekstil Karadeniz A.S."),
    ],
)
def test_same_name_written_differently(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_short_legal_forms_go_only_where_they_are_legal_forms() -> None:
    """ "se", "as", "co" are legal forms at the end of a name (or beside another), but
    in the middle of a name the source broke into fragments they are part of it: "m e
    r c u r y appar e l se e th awaka" (Open Supply Hub) keeps its "se"."""
    assert normalise_name("m e r c u r y appar e l se e th awaka") == (
        "mercury appar el se e th awaka"
    )
    assert normalise_name("Mercury Apparel SE") == "mercury apparel"
    assert normalise_name("Sinar Jaya Co., Ltd. (Factory 2)") == "sinar jaya factory 2"
    assert normalise_name("PT. Sinar Jaya") == "sinar jaya"
    assert normalise_name("Casa Co Bello") == "casa co bello"
    series = pl.Series(["m e r c u r y appar e l se e th awaka", "Sinar Jaya Co Ltd 2"])
    assert normalise_names(series).to_list() == [normalise_name(v) for v in series]


def test_address_abbreviations() -> None:
    assert normalise_address("No. 8 Shuangbao West Road, Wenzhou City") == normalise_address(
        "NO.8 SHUANGBAO WEST RD WENZHOU"
    )


def test_a_letter_typed_for_a_digit_in_a_house_number_is_the_digit() -> None:
    """ "# 33o" (Open Supply Hub, Portugal) is house number 330: o and i inside a number
    read as 0 and 1. Unit letters, the l of Singapore's "97L" and of Canadian postcodes
    ("M6G 1L4"), one-digit numbers and words that start with a letter stay."""
    assert normalise_address("Ave. Boavista # 33O Vila Nova") == "ave boavista 330 vila nova"
    assert normalise_address("Rua 1i4") == "rua 114"
    assert normalise_address("97L Lorong Tawas") == "97l lorong tawas"
    assert normalise_address("714 Bloor St West M6G 1L4") == "714 bloor st west m6g 1l4"
    assert normalise_address("Unit 21A, 2o, No 5") == "unit 21a 2o no 5"
    series = pl.Series(["ave. boavista # 33o vila", "97L Lorong Tawas", "plot 1o1i"])
    assert normalise_addresses(series).to_list() == [normalise_address(v) for v in series]


@given(texts)
@settings(max_examples=300, deadline=None)
def test_name_is_idempotent_and_clean(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert once == once.strip() and "  " not in once
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in once)
    assert once == once.lower()


@given(texts)
@settings(max_examples=300, deadline=None)
def test_address_is_idempotent_and_clean(text: str) -> None:
    once = normalise_address(text)
    assert normalise_address(once) == once
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in once)


@given(st.from_regex(r"[A-Za-z0-9 .,&()-]{0,40}", fullmatch=True))
@settings(max_examples=200, deadline=None)
def test_case_and_punctuation_do_not_matter(text: str) -> None:
    assert normalise_name(text.upper()) == normalise_name(text.lower())
    assert normalise_name(text.replace(",", " , ").replace(".", ". ")) == normalise_name(text)


@given(st.lists(texts | st.none(), max_size=25))
@settings(max_examples=150, deadline=None)
def test_column_versions_agree_with_the_functions(values: list[str | None]) -> None:
    series = pl.Series("v", values, dtype=pl.String)
    assert normalise_names(series).to_list() == [normalise_name(v) for v in values]
    assert normalise_addresses(series).to_list() == [normalise_address(v) for v in values]
