"""One country label: risk's `|country_label` is core's `|country`."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("code", ["BD", "bd", "XK", "Bangla Desh", "", None])
def test_the_risk_country_label_is_the_core_country_filter(code: str | None) -> None:
    """One implementation: risk's `|country_label` (the heat map, the scan and
    forced-labour tables) is core's `|country`; it kept a lower-case code as
    written ("Bangladesh (bd)") where every other page said "(BD)"."""
    from django.utils import translation

    from imvo.core.templatetags.imvo_countries import country
    from imvo.risk.templatetags.risk_tags import country_label

    for language in ("en", "nl"):
        with translation.override(language):
            assert country_label(code) == country(code)
    with translation.override("nl"):
        assert country_label("bd") == "Bangladesh (BD)"
