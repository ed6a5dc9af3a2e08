"""The whole way with the real matcher, in a browser: a member uploads a list, the
matcher (not a test) leaves a row pending, the member reads why (distance in
metres, what differs, the runner-up, the twice-registered place) and confirms it;
the processed list carries the reason, and the next upload of the same row is
matched by the remembered decision, so nobody confirms the same facility twice.

The registry is the demo's: factories registered twice 67-70 m apart
(`demo.AMBIGUOUS`), each with a member's row written differently enough to wait
for a person."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from imvo.core.testing import login
from imvo.supplychain import demo, services
from imvo.supplychain.models import Match
from imvo.supplychain.tests.helpers import make_registry
from imvo.testing import build_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pending_match_of_the_real_matcher_is_read_resolved_and_remembered(
    page, live_server
) -> None:
    world = build_world()
    make_registry()
    twins = demo.ambiguous_registry()
    sunrise, sunrise_again = twins[4], twins[5]  # the same factory, registered twice
    data = demo._csv(demo.ambiguous_rows())
    sl = services.upload_list(world.member_a, world.covenant_x, 2025, "suppliers.csv", data)
    match = Match.objects.get(row__supplier_list=sl, row__name="Sunrise Apparel Co., Ltd")
    assert match.status == Match.Status.PENDING  # the matcher's own verdict

    login(page, world.member_a.username)
    page.goto(f"/supply-chain/lists/{sl.pk}/decisions/")
    card = page.locator(f"#match-{match.pk}")
    best = card.locator(f"article[data-facility='{sunrise.pk}']")
    heading = best.locator("h3").inner_text()
    assert "% likely the same place" in heading and "bits" in heading
    # The distance in metres, the differing words marked, the reasons in words.
    table = best.locator("table.side-by-side")
    expect(table).to_contain_text("m apart")
    assert "(Dongguan)" in table.locator("mark").all_inner_texts()
    evidence = best.locator("table.evidence").inner_text()
    assert "Distance" in evidence and "m apart" in evidence and "Total" in evidence
    # The runner-up, and the registry's second record of the same place.
    expect(best).to_contain_text("Runner-up: facility #")
    expect(best).to_contain_text(
        f"The registry holds this place twice, also as facility #{sunrise_again.pk}"
    )

    best.get_by_role("button", name=f"This is it: facility #{sunrise.pk}").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Decision saved for row")
    assert page.locator(f"#match-{match.pk}").count() == 0
    match.refresh_from_db()
    assert (match.status, match.facility_id) == (Match.Status.CONFIRMED, sunrise.pk)

    # The processed list carries why, for the facility confirmed.
    page.goto(f"/supply-chain/lists/{sl.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Processed list (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"].startswith("Sunrise"))
    assert row["match_status"] == "confirmed" and row["facility_id"] == str(sunrise.pk)
    assert row["why"].startswith(f"#{sunrise.pk}: ") and " m apart" in row["why"]

    # Next year's list holds the same row: the decision applies, nobody is asked again.
    later = services.upload_list(world.member_a, world.covenant_x, 2026, "suppliers.csv", data)
    again = Match.objects.get(row__supplier_list=later, row__name="Sunrise Apparel Co., Ltd")
    assert (again.status, again.facility_id) == (Match.Status.CONFIRMED, sunrise.pk)
    page.goto(f"/supply-chain/lists/{later.pk}/decisions/")
    expect(page.locator("main")).not_to_contain_text("Row 4: Sunrise Apparel")
    assert page.locator(f"#match-{again.pk}").count() == 0
