"""The one country vocabulary (core/countries.py): what people write -> alpha-2,
and one display name per code and language."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imvo.core.countries import CODES, display_name, is_code, normalise_country


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("CHINA", "CN"),
        ("cn", "CN"),
        ("CHN", "CN"),
        ("P.R. China", "CN"),
        ("China (Guangdong)", "CN"),
        ("Burma", "MM"),
        ("VNM", "VN"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Veitnam", "VN"),
        ("Bangaldesh", "BD"),
        ("Türkiye", "TR"),
        ("Turkije", "TR"),
        ("Duitsland", "DE"),
        ("Verenigde Staten", "US"),
        ("UNITED STATES", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("El Salvador", "SV"),
        ("cote d'ivoire", "CI"),
        ("Hong Kong SAR, China", "HK"),
        ("Taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("Chinese Taipei", "TW"),
        ("Kosovo", "XK"),
        ("XK", "XK"),
        ("xkx", "XK"),
        ("Lao PDR", "LA"),
        ("West Bank and Gaza", "PS"),
        ("  sri lanka ", "LK"),
    ],
)
def test_country_as_written(written: str, code: str) -> None:
    assert normalise_country(written) == code


@pytest.mark.parametrize("written", ["", "xx", "Atlantis", "N/A", "12345", None])
def test_unknown_is_none(written: str | None) -> None:
    assert normalise_country(written) is None


def test_every_iso_country_by_code_and_name() -> None:
    for c in pycountry.countries:
        assert normalise_country(c.alpha_2.lower()) == c.alpha_2
        assert normalise_country(c.alpha_3) == c.alpha_2
        assert normalise_country(c.name.upper()) == c.alpha_2, c.name


def test_every_iso_code_and_kosovo_is_accepted() -> None:
    assert {c.alpha_2 for c in pycountry.countries} | {"XK"} == CODES
    assert is_code("xk") and is_code("NL") and not is_code("ZZ") and not is_code("")


@pytest.mark.parametrize(
    ("code", "en", "nl"),
    [
        ("TW", "Taiwan", "Taiwan"),
        ("KR", "South Korea", "Zuid-Korea"),
        ("BO", "Bolivia", "Bolivia"),
        ("XK", "Kosovo", "Kosovo"),
        ("NL", "Netherlands", "Nederland"),
        ("TR", "Türkiye", "Turkije"),
        ("ZZ", "ZZ", "ZZ"),
    ],
)
def test_one_display_name_per_language(code: str, en: str, nl: str) -> None:
    assert display_name(code, "en") == en
    assert display_name(code.lower(), "nl-nl") == nl


def test_display_name_follows_the_active_language() -> None:
    from django.utils import translation

    with translation.override("nl"):
        assert display_name("DE") == "Duitsland"
    with translation.override("en"):
        assert display_name("DE") == "Germany"
    assert display_name("") == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_and_answers_a_known_code(text: str) -> None:
    code = normalise_country(text)
    assert code is None or code in CODES


@given(st.sampled_from(sorted(CODES)))
def test_every_code_round_trips_through_its_names(code: str) -> None:
    assert normalise_country(code) == code
    assert normalise_country(display_name(code, "en")) == code


@given(st.sampled_from([c.alpha_2 for c in pycountry.countries]), st.sampled_from(["", " ", "  "]))
def test_country_code_survives_case_and_spaces(code: str, pad: str) -> None:
    assert normalise_country(pad + code.lower() + pad) == code
