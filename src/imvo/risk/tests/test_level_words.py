"""Risk levels are read as words in the page's language (the codes stay English)."""

import pytest
from playwright.sync_api import expect

from imvo.core.testing import login
from imvo.risk import services
from imvo.testing import build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dutch_member_reads_the_heatmap_levels_in_dutch(browser, live_server):
    world = build_world()
    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts", workers=500)
    ctx = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = ctx.new_page()
    login(page, world.member_a.username)
    page.goto("/risk/")
    words = page.locator("table.heat .lvl-word")
    expect(words.first).to_be_visible()
    seen = set(words.all_inner_texts())
    assert seen and seen <= {"hoog", "gemiddeld", "laag"}, seen
    badges = set(page.locator("ol.themes .badge").all_inner_texts())
    assert badges and badges <= {"hoog", "gemiddeld", "laag"}, badges
    # The colour still follows the level's code.
    assert page.locator("table.heat td.lvl-high").count() >= 1
    ctx.close()


def test_scan_report_declares_the_readers_language() -> None:
    """The scan report is translated, so its <html lang> follows the reader (was "en")."""
    from django.template.loader import render_to_string
    from django.utils import translation

    for lang in ("nl", "en"):
        with translation.override(lang):
            html = render_to_string("risk/scan_report.html", {"meta": {}, "file": "x.csv"})
        assert f'<html lang="{lang}">' in html
