"""The flow members depend on, in a real browser: upload an Excel file made by a
spreadsheet program, resolve a pending match, find the facility on the public list."""

from __future__ import annotations

from pathlib import Path

import pytest

from imvo.core.testing import login
from imvo.supplychain.tests.helpers import make_facility
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
    assert "Rows received" in page.content()
    summary = page.locator("table.summary")
    assert summary.locator("tr", has_text="Rows received").locator("td").inner_text() == "25"
    assert summary.locator("tr", has_text="Needs a decision").locator("td").inner_text() == "1"

    page.click("text=Resolve the uncertain matches")
    card = page.locator("section.decision").first
    assert "Bergman Riveria - Serflex S.A.C." in card.inner_text()
    card.locator(f"article[data-facility='{chosen.pk}']").get_by_role("button").click()
    assert "Nothing left to decide." in page.content()

    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/?q=bergman")
    table = page.locator("main table").inner_text()
    assert "BERGMAN RIVERIA - SERFLEX S.A.C." in table
    assert "Company A" not in page.content()
