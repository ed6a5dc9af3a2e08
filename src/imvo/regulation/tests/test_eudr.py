"""Every EUDR validation rule, on files made here: a valid one and one per kind of error."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.regulation.models import Plot
from imvo.regulation.services import eudr, exports
from imvo.testing import adhere, make_covenant


def poly(lon: str, lat: str, step: str = "0.001000") -> dict[str, Any]:
    """A square of `step` degrees (0.001 deg: about 1.2 ha at 6 degrees north)."""
    x, y, d = Decimal(lon), Decimal(lat), Decimal(step)
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Polygon", "coordinates": [[[f"{a:.6f}", f"{b:.6f}"] for a, b in ring]]}


def feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    base = {"plot_id": "P1", "commodity": "cocoa", "country": "CI", "supplier": "Coop Soubre",
            "dds_reference": "25NLABCD1234"}  # fmt: skip
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geometry}


def geojson(*features: dict[str, Any]) -> bytes:
    # Coordinates written as numbers with their decimals (as a GIS program writes them).
    text = json.dumps({"type": "FeatureCollection", "features": list(features)})
    import re

    return re.sub(r'"(-?\d+\.\d+)"', r"\1", text).encode()


SOUBRE = poly("-6.606000", "5.785000")
POINT = {"type": "Point", "coordinates": ["-6.601234", "5.781234"]}


@pytest.fixture
def food(world):
    c = make_covenant(slug="food-x", sector="food")
    adhere(c, world.company_a)
    return c


def errors_of(world, food, data: bytes, name: str = "plots.geojson") -> list[dict[str, Any]]:
    upload = eudr.check_upload(world.member_a, food, name, data)
    return list(upload.errors)


def test_a_valid_file_imports_every_plot_with_its_area_and_references(world, food) -> None:
    data = geojson(
        feature(SOUBRE, plot_id="P1"),
        feature(POINT, plot_id="P2", area_ha="2.5", dds_reference="25nlabcd9999"),
        feature(poly("-1.620000", "6.690000"), plot_id="G1", country="GH", commodity="palm oil"),
    )
    assert errors_of(world, food, data) == []
    plots = {p.plot_id: p for p in Plot.objects.filter(covenant=food)}
    assert set(plots) == {"P1", "P2", "G1"}
    assert Decimal("1.1") < plots["P1"].area_ha < Decimal("1.4")  # geodesic, ~1.23 ha
    assert plots["P2"].area_ha == Decimal("2.5") and plots["P2"].dds_reference == "25NLABCD9999"
    assert plots["G1"].commodity == "oil_palm"


@pytest.mark.parametrize(
    "feat, column, message",
    [
        (feature(SOUBRE, commodity="tea"), "commodity", "not a relevant commodity"),
        (feature(SOUBRE, country="XX"), "country", "not an ISO 3166 country code"),
        (feature(SOUBRE, plot_id=""), "plot_id", "needs an id"),
        (feature({"type": "LineString", "coordinates": [["-6.600000", "5.780000"], ["-6.610000", "5.790000"]]}),
         "geometry", "LineString is not a plot"),
        (feature({"type": "Point", "coordinates": ["5.781234", "-96.601234"]}, area_ha="1"),
         "geometry", "swapped"),
        (feature({"type": "Point", "coordinates": ["-6.60", "5.78"]}, area_ha="1"),
         "geometry", "at least 6 decimal digits; -6.60 has 2"),
        (feature(poly("-6.606000", "5.785000")["coordinates"] and
                 {"type": "Polygon", "coordinates": [[["-6.606000", "5.785000"], ["-6.605000", "5.785000"],
                                                      ["-6.605000", "5.786000"], ["-6.606000", "5.786000"]]]}),
         "geometry", "not closed"),
        (feature({"type": "Polygon", "coordinates": [[["-6.606000", "5.785000"], ["-6.605000", "5.786000"],
                                                      ["-6.605000", "5.785000"], ["-6.606000", "5.786000"],
                                                      ["-6.606000", "5.785000"]]]}),
         "geometry", "Self-intersection"),
        (feature(POINT, area_ha="12"), "geometry", "over 4 ha must be given as a polygon"),
        (feature(POINT), "area_ha", "needs its area in hectares"),
        (feature(SOUBRE, country="GH"), "country", "lies in CI"),
        (feature(SOUBRE, dds_reference="ref #1"), "dds_reference", "not a statement reference"),
    ],
)  # fmt: skip
def test_each_rule_names_the_row_the_column_and_why(world, food, feat, column, message) -> None:
    ok = feature(poly("-6.500000", "5.800000"), plot_id="OK")
    errs = errors_of(world, food, geojson(ok, feat))
    assert len(errs) == 1, errs
    assert errs[0]["row"] == 2 and errs[0]["column"] == column
    assert message in errs[0]["message"]
    assert not Plot.objects.exists()  # a file with an error imports nothing


def test_a_duplicate_plot_id_names_the_other_row(world, food) -> None:
    errs = errors_of(world, food, geojson(feature(SOUBRE), feature(poly("-6.500000", "5.800000"))))
    assert errs == [{"row": 2, "column": "plot_id", "message": "P1 is also used in row 1"}]


def test_csv_with_coordinates_and_a_wkt_polygon(world, food) -> None:
    data = (
        b"plot_id;commodity;country;latitude;longitude;polygon;area_ha;supplier;dds_reference\n"
        b"C1;coffee;CI;5.781234;-6.601234;;1.5;Coop;25NLABCD1234\n"
        b'C2;cocoa;CI;;;"POLYGON((-6.606000 5.785000, -6.605000 5.785000, -6.605000 5.786000, '
        b'-6.606000 5.786000, -6.606000 5.785000))";;Coop;\n'
        b"C3;cocoa;CI;5.78;-6.60;;1;Coop;\n"
    )
    errs = errors_of(world, food, data, "plots.csv")
    assert errs == [{"row": 4, "column": "geometry",
                     "message": "coordinates need at least 6 decimal digits; -6.60 has 2"}]  # fmt: skip
    fixed = data.replace(b"5.78;-6.60", b"5.780000;-6.600000")
    assert errors_of(world, food, fixed, "plots.csv") == []
    assert Plot.objects.get(plot_id="C2").geometry["type"] == "Polygon"


def test_a_file_that_is_not_what_it_says_is_refused_whole(world, food) -> None:
    with pytest.raises(DomainError, match="not valid JSON"):
        eudr.check_upload(world.member_a, food, "plots.geojson", b'{"type": ')
    with pytest.raises(DomainError, match="FeatureCollection"):
        eudr.check_upload(world.member_a, food, "plots.geojson", b"[1, 2]")
    with pytest.raises(DomainError, match="columns plot_id"):
        eudr.check_upload(world.member_a, food, "plots.csv", b"a,b\n1,2\n")
    with pytest.raises(DomainError, match="cannot be attached"):
        eudr.check_upload(world.member_a, food, "plots.kml", b"<kml/>")


def test_only_members_of_a_covenant_with_the_commodities(world, food) -> None:
    with pytest.raises(PermissionDeniedError):
        eudr.check_upload(world.member_c, food, "p.geojson", geojson(feature(SOUBRE)))
    with pytest.raises(DomainError, match="none of the EUDR"):
        eudr.check_upload(world.member_c, world.covenant_y, "p.geojson", geojson(feature(SOUBRE)))


def test_export_keeps_every_decimal_and_the_references(world, food, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    point = {"type": "Point", "coordinates": ["-6.601230", "5.781200"]}  # trailing zeros
    eudr.check_upload(world.member_a, food, "p.geojson",
                      geojson(feature(SOUBRE), feature(point, plot_id="P2", area_ha="2")))  # fmt: skip
    doc = exports.check_eudr_geojson(world.member_a, food)
    with doc.file.open("rb") as f:
        text = f.read().decode()
    assert "-6.601230,5.781200" in text
    out = json.loads(text)
    assert out["type"] == "FeatureCollection" and len(out["features"]) == 2
    p2 = next(f for f in out["features"] if f["properties"]["ProductionPlace"] == "P2")
    assert p2["properties"] == {"Area": 2.0, "Commodity": "cocoa", "DdsReference": "25NLABCD1234",
                                "ProducerCountry": "CI", "ProducerName": "Coop Soubre",
                                "ProductionPlace": "P2"}  # fmt: skip
    from shapely.geometry import shape

    assert all(shape(f["geometry"]).is_valid for f in out["features"])
    assert exports.check_eudr_geojson(world.member_a, food).pk == doc.pk  # same plots: same filing


def test_cli_imports_reports_errors_and_exports(world, food, settings, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(geojson(feature(SOUBRE, country="GH")))
    with pytest.raises(CommandError, match="1 errors: nothing imported"):
        call_command("regulation", "plots", "import", "food-x", str(bad), "--as", "member_a")
    good = tmp_path / "good.geojson"
    good.write_bytes(geojson(feature(SOUBRE)))
    call_command("regulation", "plots", "import", "food-x", str(good), "--as", "member_a")
    out = tmp_path / "out.geojson"
    call_command("regulation", "plots", "export", "food-x", "--as", "member_a", "-o", str(out))
    assert json.loads(out.read_text())["features"][0]["properties"]["ProductionPlace"] == "P1"


@pytest.fixture
def default_csv_field_limit():
    """The csv module's own field limit (the supplier-list reader raises it for the
    whole process when it reads a big file: the limit a fresh worker has)."""
    import csv

    old = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(old)


def test_a_cell_over_the_csv_field_limit_is_a_clear_refusal_not_a_500(
    world, food, default_csv_field_limit
) -> None:
    """Found by the audit: a 200 KB cell (or a huge WKT polygon) raised the csv
    module's field-limit error through the upload (a server error)."""
    header = b"plot_id,commodity,country,latitude,longitude\n"
    for data in (
        header + b"p1,cocoa,CI," + b"1" * 200_000 + b",2\n",
        header + b'p1,cocoa,"' + b"x" * 200_000 + b'",5.781234,-6.601234\n',
        b"plot_id,commodity,country,polygon\n"
        + b'p1,cocoa,CI,"POLYGON(('
        + b", ".join(b"-6.606000 5.785000" for _ in range(20_000))
        + b'))"\n',
    ):
        with pytest.raises(DomainError, match="Line 2 of the CSV cannot be read"):
            eudr.check_upload(world.member_a, food, "plots.csv", data)
    assert not Plot.objects.exists()
