"""EUDR plot files an attacker or a careless export makes (docs/security.md, T40)."""

from __future__ import annotations

import pytest

from imvo.core.errors import DomainError
from imvo.regulation.models import Plot
from imvo.regulation.services import eudr
from imvo.regulation.tests.test_eudr import errors_of, food  # noqa: F401 (fixture)


def test_a_geojson_nested_a_hundred_thousand_deep_is_refused_not_a_500(world, food) -> None:  # noqa: F811
    """The JSON decoder's recursion limit raised RecursionError: a 500 on the page."""
    with pytest.raises(DomainError, match="deeper than GeoJSON"):
        eudr.check_upload(world.member_a, food, "p.geojson", b"[" * 100_000 + b"]" * 100_000)


def test_an_unclosed_quote_in_a_plot_csv_is_named_not_swallowing_plots(world, food) -> None:  # noqa: F811
    """`"Coop Soubre` opened a quote that never closed: the plots on the lines after it
    were read into that cell and the file imported with one plot, the others lost."""
    data = (
        b"plot_id;commodity;country;latitude;longitude;area_ha;supplier\n"
        b'C1;cocoa;CI;5.781234;-6.601234;1;"Coop Soubre\n'
        b"C2;cocoa;CI;5.782234;-6.602234;1;Coop\n"
        b"C3;cocoa;CI;5.783234;-6.603234;1;Coop\n"
    )
    errors = errors_of(world, food, data, "plots.csv")
    assert [(e["row"], e["column"]) for e in errors] == [(2, "supplier")]
    assert "quote" in errors[0]["message"]
    assert not Plot.objects.exists()
