"""The supplier-list pages on a phone, 390 px wide, in a real browser.

Nothing may widen the page, the tables a member reads to decide (the summary, the
two records side by side, the weights) fit the screen, and no number or name in a
table is broken between its letters. Before: the summary's "53" stood as "5" over
"3" (a link in a cell could break anywhere and the table squeezed it), and on the
review page the facility's column sat behind a sideways scroll (each column at
least 12rem wide) beside the weights' bars. In Dutch, the platform's default
language, whose longer row labels squeeze the numbers hardest.
"""

from __future__ import annotations

import pytest

from imvo.core.testing import login
from imvo.supplychain import services
from imvo.supplychain.models import Match, SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_facility
from imvo.supplychain.tests.test_review_browser import EXPLANATION
from imvo.testing import build_world

PHONE = {"width": 390, "height": 844}

# What overflows sideways: the page itself, and any element that sticks out of
# the screen without a scrolling box around it.
LOOSE = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let p = el.parentElement, held = false;
    while (p) { if (getComputedStyle(p).overflowX !== 'visible') { held = true; break; } p = p.parentElement; }
    if (!held) out.push(el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30));
  }
  return out;
}"""

# Tables that must fit without scrolling their box.
SCROLLED = """(selector) => [...document.querySelectorAll(selector)]
  .filter(t => t.closest('.table-scroll').scrollWidth > t.closest('.table-scroll').clientWidth + 1)
  .map(t => t.className)"""

# Links in table cells broken over more than one line though they are one short word.
BROKEN = """() => [...document.querySelectorAll('main td a')]
  .filter(a => !/\\s/.test(a.textContent.trim()) && a.textContent.trim().length <= 12)
  .filter(a => a.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(a).lineHeight))
  .map(a => a.textContent.trim())"""


def _check(page, path: str, fitting: str = "") -> None:
    page.goto(path)
    page.wait_for_load_state()
    assert page.evaluate(LOOSE) == [], path
    assert page.evaluate(BROKEN) == [], path
    if fitting:
        assert page.evaluate(SCROLLED, fitting) == [], path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_supplier_list_pages_fit_a_phone(browser, live_server) -> None:
    world = build_world()
    lotus_a = make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    lotus_b = make_facility("Lotus Apparel Co Ltd", "Unit B, No. 7 Lotus Road, Dongguan", "CN")
    rows = [["Lotus Apparel Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN"]] + [
        [f"Factory {n} Garments Ltd", f"{n} Industrial Road, Gazipur", "BD"] for n in range(1, 13)
    ]
    name = "noorderlicht-fashion-bv-suppliers-2025.csv"
    sl = services.upload_list(world.member_a, world.covenant_x, 2025, name, csv_bytes(rows))
    first = Match.objects.filter(row__supplier_list=sl).order_by("row__number").first()
    assert first is not None
    Match.objects.filter(pk=first.pk).update(
        status="pending",
        facility=None,
        candidates=[[lotus_a.pk, 78.0], [lotus_b.pk, 61.0]],
        explanation=EXPLANATION,
    )
    sl.refresh_from_db()
    SupplierList.objects.filter(pk=sl.pk).update(summary={**sl.summary, "pending": 1})

    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, world.member_a.username)
        _check(page, "/supply-chain/")
        _check(page, f"/supply-chain/lists/{sl.pk}/", "table.summary")
        assert page.locator("table.summary").first.inner_text().count("13") == 2  # received, valid
        _check(page, "/supply-chain/review/", "table.side-by-side, table.evidence")
        _check(page, f"/supply-chain/matches/{first.pk}/why/", "table.side-by-side")
        _check(page, "/supply-chain/upload/")
        # A file refused at the door, as the member reads it.
        page.set_input_files("#id_file", {"name": "l.xlsx", "mimeType": "", "buffer": b"%PDF-1 x"})
        page.locator("input[name=mode][value=add]").check()
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "dit is een pdf-document" in page.locator("main").inner_text()
        refused = SupplierList.objects.get(original_name="l.xlsx")
        _check(page, f"/supply-chain/lists/{refused.pk}/")
        text = page.locator("main").inner_text()
        assert "Dit bestand kon niet worden gelezen: l.xlsx: dit is een pdf-document" in text
        assert "Verwerking mislukt" not in text
        page.get_by_role("link", name="Een verbeterd bestand uploaden").click()
        page.wait_for_url("**/supply-chain/upload/")
    finally:
        context.close()
