"""The flow members depend on, in a real browser: upload an Excel file made by a
spreadsheet program, resolve a pending match, find the facility on the public list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from imvo.core.testing import login
from imvo.supplychain import publication
from imvo.supplychain.models import DisclosurePolicy, Facility, Match, SupplierList, SupplierListRow
from imvo.supplychain.tests.helpers import make_facility
from imvo.testing import adhere, build_world, make_org

FILES = Path(__file__).parent / "files"


def other_members_link(world, facility: Facility, year: int, n: int) -> None:
    """Another member's processed list linking `facility` (written directly: the
    matcher's threads hang when the test thread and the live server both run it)."""
    org = make_org(f"Other Member {n}")
    adhere(world.covenant_x, org)
    sl = SupplierList.objects.create(
        covenant=world.covenant_x, organisation=org, year=year, file="x.csv",
        original_name="x.csv", status=SupplierList.Status.DONE,
    )  # fmt: skip
    row = SupplierListRow.objects.create(
        supplier_list=sl, number=2, name=facility.name, address=facility.address,
        country=facility.country, status=SupplierListRow.Status.VALID,
    )  # fmt: skip
    Match.objects.create(row=row, facility=facility, status=Match.Status.CONFIRMED, score=100)


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

    # Two other members disclose the same factory: with company A, the three the
    # publication rule asks for here; the secretariat publishes the year below.
    year = timezone.now().year - 1  # the upload form's default
    for n in (1, 2):
        other_members_link(world, chosen, year, n)
    DisclosurePolicy.objects.update_or_create(
        covenant=world.covenant_x, defaults={"min_members": 3}
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
    # The matcher's reasons are on the screen: levels in words and weights in bits.
    reasons = card.locator("table.evidence").first.inner_text()
    assert "Why the platform proposed it" in reasons and "Starting odds" in reasons
    assert "Weight (bits)" in reasons
    card.locator(f"article[data-facility='{chosen.pk}']").get_by_role("button").click()
    assert "Nothing left to decide." in page.content()

    publication.publish_year(world.secretariat_x, world.covenant_x, year)
    page.goto(f"/supply-chain/public/{world.covenant_x.slug}/?q=bergman")
    table = page.locator("main table").inner_text()
    assert "BERGMAN RIVERIA - SERFLEX S.A.C." in table
    assert "Company A" not in page.content()
