"""The flow members depend on, in a real browser: upload an Excel file made by a
spreadsheet program, resolve a pending match, find the facility on the public list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imvo.core.testing import login
from imvo.supplychain.tests.helpers import make_facility, publish_with_members
from imvo.testing import build_world

FILES = Path(__file__).parent / "files"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_xlsx_resolve_and_publish(page, live_server) -> None:
    world = build_world()
    # Two registry records of the same Peruvian factory: the platform cannot choose.
    make_facility(
        "Bergman Riveria Serflex SAC", "Av. Universitaria 3855, San Martin de Porres, Lima", "PE"
    )
    chosen = make_facility(
        "BERGMAN RIVERIA - SERFLEX S.A.C.", "Av Universitaria 3855 San Martin De Porres Lima", "PE"
    )
    make_facility(
        "Chen Feng (Jiangsu) Apparel Co., Ltd.", "No. 99 Jinhu Road, Jintan City, Jiangsu", "CN"
    )

    login(page, world.member_a.username)
    page.goto("/supply-chain/upload/")
    page.select_option("#id_covenant", str(world.covenant_x.pk))
    page.set_input_files("#id_file", str(FILES / "suppliers.xlsx"))
    page.click("main button[type=submit]")
    page.wait_for_url("**/supply-chain/lists/*/")
    # The effect first; nothing changes before Confirm.
    assert "Check the effect, then confirm" in page.content()
    page.click("button[value=confirm]")
    page.wait_for_url("**/supply-chain/lists/*/")
    assert "Rows received" in page.content()
    summary = page.locator("table.summary")
    assert summary.locator("tr", has_text="Rows received").locator("td").inner_text() == "25"
    assert summary.locator("tr", has_text="Needs a decision").locator("td").inner_text() == "1"

    page.click("text=Resolve the uncertain matches")
    card = page.locator("section.decision").first
    assert "Bergman Riveria - Serflex S.A.C." in card.inner_text()
    # The matcher's reasons are on the screen: levels in words and weights in bits.
    reasons = card.locator("table.evidence").first.inner_text()
    assert "Why the platform proposed it" in reasons and "Starting odds" in reasons
    assert "Weight (bits)" in reasons
    card.locator(f"article[data-facility='{chosen.pk}']").get_by_role("button").click()
    expect(page.locator("main")).to_contain_text("Nothing left to decide.")
    assert "Nothing left to decide." in page.content()

    # Public once the secretariat publishes the year with K members (K = 3 here).
    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/")
    assert "BERGMAN RIVERIA" not in page.locator("main table").inner_text()
    publish_with_members(world.covenant_x, timezone.now().year - 1, world.secretariat_x)
    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/")
    table = page.locator("main table").inner_text()
    assert "BERGMAN RIVERIA - SERFLEX S.A.C." in table
    assert "Company A" not in page.content()
    # Only company A sources there: a search for it would single the member out.
    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/?q=bergman")
    assert "BERGMAN RIVERIA" not in page.locator("main table").inner_text()
    assert "Fewer than 3 members" in page.content()
