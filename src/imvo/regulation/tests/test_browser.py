"""Real browser, as a member company: the ESRS S2 draft and the CSDDD pack from its
handed-in submission; an engagement recorded; EUDR plots uploaded (a file with
errors, then a valid one) and exported as GeoJSON."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from imvo.core.testing import assert_accessible, login
from imvo.regulation.tests.helpers import handed_in
from imvo.regulation.tests.test_eudr import POINT, SOUBRE, feature, geojson
from imvo.testing import adhere, make_covenant


def _download(page, selector: str) -> bytes:
    # The pack renders ten PDFs: on a busy shared machine that can take longer than the
    # default 15 s (it is made once, then the filed copy is served).
    with page.expect_download(timeout=90_000) as info:
        page.click(selector, timeout=90_000)
    path = info.value.path()
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_files_esrs_draft_and_csddd_pack(page, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)
    login(page, "member_a")
    page.goto("/regulation/")
    assert_accessible(page)
    draft = json.loads(_download(page, f"#esrs-json-{sub.year}"))
    assert [r["code"] for r in draft["disclosure_requirements"]] == [
        "S2-1",
        "S2-2",
        "S2-3",
        "S2-4",
        "S2-5",
    ]
    html = _download(page, f"#esrs-html-{sub.year}").decode()
    assert "ESRS S2 disclosure draft: Company A, 2025" in html
    pack = zipfile.ZipFile(io.BytesIO(_download(page, f"#pack-{sub.year}")))
    assert "articles/art-14.pdf" in pack.namelist()
    page.reload()
    assert page.locator("#documents tbody tr").count() == 3  # each filing kept as filed

    page.click("text=Stakeholder engagement log")
    page.fill("#id_date", "2025-06-01")
    page.select_option("#id_kind", "rights_holders")
    page.fill("#id_stakeholder", "Workers at Dhaka Knit")
    page.select_option("#id_method", "interview")
    page.fill("#id_topic", "Overtime in peak season")
    page.fill("#id_outcome", "Lead times lengthened")
    page.click("text=Record the engagement")
    page.wait_for_selector("text=Engagement recorded.")
    assert "Workers at Dhaka Knit" in page.inner_text("#entries")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_food_member_uploads_plots_and_exports_geojson(page, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    food = make_covenant(slug="food-x", sector="food")
    adhere(food, world.company_a)
    login(page, "member_a")
    page.goto(f"/regulation/c/{food.slug}/plots/")
    bad = geojson(
        feature(SOUBRE, plot_id="P1"),
        feature({"type": "Point", "coordinates": ["-6.60", "5.78"]}, plot_id="P2", area_ha="1"),
        feature(POINT, plot_id="P3", area_ha="9"),
        feature(SOUBRE, plot_id="P4", country="GH"),
    )
    page.set_input_files(
        "#id_file",
        files=[{"name": "plots.geojson", "mimeType": "application/geo+json", "buffer": bad}],
    )
    page.click("text=Check and import")
    page.wait_for_selector("#upload-errors")
    page.wait_for_load_state()
    errors = page.inner_text("#upload-errors")
    assert (
        "at least 6 decimal digits" in errors and "over 4 ha" in errors and "lies in CI" in errors
    )
    assert "No plots yet." in page.content()
    assert_accessible(page)
    good = geojson(feature(SOUBRE, plot_id="P1"), feature(POINT, plot_id="P2", area_ha="2"))
    page.set_input_files(
        "#id_file",
        files=[{"name": "plots.geojson", "mimeType": "application/geo+json", "buffer": good}],
    )
    page.click("text=Check and import")
    page.wait_for_selector("text=2 plots imported from plots.geojson.")
    expect(page.locator("#plots tbody tr")).to_have_count(2)
    out = json.loads(_download(page, "#export-geojson"))
    assert {f["properties"]["ProductionPlace"] for f in out["features"]} == {"P1", "P2"}
