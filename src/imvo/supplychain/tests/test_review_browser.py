"""A reviewer in a real browser: reads why the platform proposed a facility,
accepts one match, rejects another, and finds the reasons again on the rows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from imvo.core.testing import assert_accessible, login
from imvo.supplychain import services
from imvo.supplychain.models import LabelledPair, Match
from imvo.supplychain.tests.helpers import csv_bytes, make_facility
from imvo.testing import build_world

EXPLANATION = [
    {"field": "prior", "level": "a candidate pair", "weight": -8.0},
    {"field": "name", "level": "near", "weight": 9.5},
    {"field": "address", "level": "numbers differ", "weight": -2.5},
    {"field": "distance", "level": "<= 200 m", "weight": 3.0, "meters": 150},
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_accepts_and_rejects_with_the_reasons_in_view(page, live_server) -> None:
    world = build_world()
    lotus_a = make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    lotus_b = make_facility("Lotus Apparel Co Ltd", "Unit B, No. 7 Lotus Road, Dongguan", "CN")
    saigon = make_facility("Saigon Sewing JSC", "45 Tan Thuan Road, District 7, HCMC", "VN")
    rows = [
        ["Lotus Apparel Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN"],
        ["Saigon Sewing Joint Stock Co", "12 Nguyen Van Linh, District 7, HCMC", "VN"],
    ]
    sl = services.upload_list(world.member_a, world.covenant_x, 2025, "l.csv", csv_bytes(rows))
    first, second = Match.objects.filter(row__supplier_list=sl).order_by("row__number")
    Match.objects.filter(pk=first.pk).update(
        status="pending",
        facility=None,
        candidates=[[lotus_a.pk, 78.0], [lotus_b.pk, 61.0]],
        explanation=EXPLANATION,
    )
    Match.objects.filter(pk=second.pk).update(
        status="pending",
        facility=None,
        candidates=[[saigon.pk, 55.0]],
        explanation=[{"field": "name", "level": "similar", "weight": 2.0}],
    )

    login(page, world.member_a.username)
    page.goto("/accounts/")  # the signed-in start page
    page.get_by_role("link", name="Review facility matches").click()
    page.wait_for_url("**/supply-chain/review/")
    card = page.locator(f"#match-{first.pk}")
    best = card.locator(f"article[data-facility='{lotus_a.pk}']")
    evidence = best.locator("table.evidence").inner_text()
    assert "nearly the same name (a typo or the word order)" in evidence
    assert "the house or unit numbers differ" in evidence and "150 m apart" in evidence
    assert "\u22122.5" in evidence and "+9.5" in evidence
    # The other candidate's unit letter and house number are marked as different.
    other = card.locator(f"article[data-facility='{lotus_b.pk}']")
    assert other.locator("table.side-by-side mark.number").all_inner_texts() == ["5", "7"]
    assert_accessible(page)

    best.get_by_role("button", name=f"This is it: facility #{lotus_a.pk}").click()
    page.wait_for_load_state()
    assert "Decision saved for row 2." in page.content()
    assert page.locator(f"#match-{first.pk}").count() == 0

    page.locator(f"#match-{second.pk}").get_by_role("button", name="None of these (reject)").click()
    page.wait_for_load_state()
    assert "Nothing left to decide." in page.content()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.facility_id) == ("confirmed", lotus_a.pk)
    assert (second.status, second.facility_id) == ("rejected", None)
    verdicts = sorted(LabelledPair.objects.values_list("facility_id", "is_match"))
    assert verdicts == sorted([(lotus_a.pk, True), (lotus_b.pk, False), (saigon.pk, False)])

    # The reasons stay with the processed rows.
    page.goto(f"/supply-chain/lists/{sl.pk}/rows/")
    why = page.locator("details.why").first
    why.locator("summary").click()
    expect(why).to_contain_text("nearly the same name")
    why.get_by_role("link", name="Side by side").click()
    page.wait_for_url(f"**/supply-chain/matches/{first.pk}/why/")
    assert "Confirmed" in page.locator("main").inner_text()
