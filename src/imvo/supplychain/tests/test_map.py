"""The public map (supplychain/map.py, views.public_map): drawn from the shipped
geometry, shading only countries that rest on at least K members."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from imvo.supplychain import map as world_map
from imvo.supplychain import public as pub
from imvo.supplychain.models import Facility
from imvo.supplychain.services import upload_list
from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry, publish_with_members
from imvo.supplychain.tests.test_services import YEAR

DHAKA, SAIGON, ANATOLIA = (list(r) for r in REGISTRY[:3])


@pytest.fixture
def published(world) -> Any:
    """K = 3. Three members source in Dhaka (Bangladesh); one of them also in
    Saigon and Anatolia, alone: Viet Nam and Türkiye rest on one member."""
    make_registry()
    Facility.objects.filter(name=DHAKA[0]).update(lat=24.0, lng=90.4)
    Facility.objects.filter(name=ANATOLIA[0]).update(lat=38.4, lng=27.1)
    upload_list(
        world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA, SAIGON, ANATOLIA])
    )
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3, row=DHAKA)
    return world


def _fill(svg: str, code: str) -> str:
    m = re.search(rf'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*data-country="{code}"', svg)
    assert m, code
    return m.group(1)


def test_geometry_ships_with_the_package_and_covers_the_world() -> None:
    shapes = world_map.shapes()
    assert len(shapes) > 170 and {"BD", "VN", "TR", "CN", "XK", "TW", "NL"} <= set(shapes)
    x, y = world_map.project(0, 0)
    assert (round(x), round(y)) == (500, 243)


def test_only_countries_with_k_members_are_shaded_and_named(client, published) -> None:
    shown, other, k = pub.countries(published.covenant_x, YEAR)
    assert [(c.code, c.locations) for c in shown] == [("BD", 1)] and other == 2 and k == 3
    # No dot in Türkiye (one member there): only Dhaka's.
    assert pub.points(published.covenant_x, YEAR) == [(24.0, 90.4, 3)]
    r = client.get(f"/supply-chain/public/{published.covenant_x.slug}/map/")
    assert r.status_code == 200
    html = r.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert _fill(svg, "BD") != world_map.EMPTY
    assert _fill(svg, "VN") == world_map.EMPTY and _fill(svg, "TR") == world_map.EMPTY
    assert svg.count("<circle") == 1
    # Named with a count only where K members stand behind it.
    assert "Bangladesh: 1 production location" in svg
    assert "Vietnam:" not in svg and "Türkiye:" not in svg
    table = html[html.index('id="by-country"') :]
    assert "Bangladesh" in table and "Other countries (fewer than 3 members each)" in table
    assert "Türkiye" not in table and "Vietnam" not in table
    # No external resource: tiles, scripts and fonts come from nowhere else.
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_map_of_a_year_that_is_not_public_is_empty(client, world) -> None:
    make_registry()
    upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA]))
    html = client.get(f"/supply-chain/public/{world.covenant_x.slug}/map/").content.decode()
    assert "There is no public list of production locations for this year yet." in html
    assert "<circle" not in html and world_map.SHADES[-1] not in html


def test_bands_split_counts_into_at_most_five_shades() -> None:
    legend = world_map.bands([1, 2, 3, 5, 8, 13, 21, 34, 55, 89])
    assert len(legend) == 5 and legend[0].low == 1 and legend[-1].high == 89
    assert all(a.high < b.low for a, b in itertools.pairwise(legend))
    assert world_map.bands([7]) == [world_map.Band(7, 7, world_map.SHADES[0])]
    assert world_map.bands([]) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_renders_in_a_browser_under_the_csp(page, live_server) -> None:
    from imvo.testing import build_world

    world = build_world()
    make_registry()
    Facility.objects.filter(name=DHAKA[0]).update(lat=24.0, lng=90.4)
    upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA]))
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3, row=DHAKA)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(r.url))
    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/")
    page.click("text=Map of production locations")
    page.wait_for_url("**/map/**")
    svg = page.locator("svg.world-map")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("svg.world-map path").count() > 170
    bd = page.locator('svg.world-map path[data-country="BD"]')
    assert bd.get_attribute("fill") != world_map.EMPTY and bd.bounding_box() is not None
    assert page.locator("svg.world-map circle").count() == 1
    assert page.locator("table").filter(has_text="Bangladesh").is_visible()
    assert not problems, problems
