"""A person opens the public dashboard and the secretariat publishes a report, in a real browser."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from imvo.core.testing import login
from imvo.reporting.tests.helpers import measure
from imvo.testing import make_agreement


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_then_publish(page, world):
    a = make_agreement(world.covenant_x, number="1", title_en="Disclose production locations")
    measure(a, date(2025, 3, 31), "40")
    page.goto("/reports/dashboard/covenant-x/")
    assert page.locator("h1").inner_text().startswith("Dashboard")
    chart = page.locator("figure.chart img").first
    chart.wait_for()
    # The SVG chart really rendered (a data: image has a natural size once decoded).
    assert page.evaluate("img => img.naturalWidth", chart.element_handle()) > 100
    page.locator("details.chart-data summary").first.click()
    expect(page.locator("details.chart-data table").first).to_be_visible()

    login(page, "secretariat_x")
    page.goto("/reports/covenant-x/2025/draft/")
    page.fill("#text-agreements-nl", "Een jaar van gestage vooruitgang.")
    page.fill("#text-agreements-en", "A year of steady progress.")
    page.locator("form.section-text-form:has(#text-agreements-en) button").click()
    page.wait_for_load_state()  # the text is saved and the draft shown again
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_url("**/reports/covenant-x/2025/")
    main = page.locator("main").inner_text()
    assert "A year of steady progress." in main and "Een jaar" not in main
