"""Issue 18's "done when", in a real browser (Debian's chromium).

Companies A, B and D of covenant X disclose the same facility, none knowing it.
A sees a severe risk at a shared facility in its register and proposes a joint
corrective action plan; B is invited without being told by whom and joins; they
agree cost shares; a union user named as verifier verifies the fixed item; the
public dashboard counts it; D, invited but not joined, never sees A or B.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imvo.collective.tests.helpers import share_a_facility
from imvo.core.testing import assert_accessible, login, logout
from imvo.risk import services as risk
from imvo.testing import build_world


def hand_over(page, username: str) -> None:
    """The next person signs in at the same browser."""
    logout(page)
    login(page, username)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_members_fix_a_shared_facility_together(page, live_server) -> None:
    w = build_world()
    shared = share_a_facility(w)
    risk.create_entry(
        w.member_a, w.company_a, "health-safety", "Fire safety in Bangladesh", "BD",
        scale=4, scope=2, irremediability=4, likelihood=3,
    )  # fmt: skip
    deadline = (timezone.localdate() + timedelta(days=45)).isoformat()

    # A: the register shows leverage and the overlap as a count, and suggests joint action.
    login(page, w.member_a.username)
    page.goto("/risk/register/")
    notes = page.locator("td.notes").first.inner_text()
    assert "other covenant members sourcing here: 2" in notes
    assert "Company B" not in page.content() and "Company D" not in page.content()
    page.click("td.notes p.suggestion a:has-text('Propose joint action')")
    page.wait_for_url("**/collective/propose/**")
    assert page.locator("#id_facility").input_value() == str(shared.facility.pk)
    assert_accessible(page)
    page.fill("#id_title", "Fire exits at Dhaka Knit")
    page.fill("#id_description", "Exits locked during shifts.")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/collective/actions/*/")
    action_url = page.url
    assert_accessible(page)
    assert "2 invitations not answered yet." in page.content()
    page.select_option("#id_source", "union")
    page.fill("#id_f_description", "Two fire exits locked during working hours.")
    page.click("#finding-form button[type=submit]")
    expect(page.locator("article.finding")).to_contain_text("Two fire exits locked")
    page.fill("#id_fix", "Replace the locks by panic bars")
    page.select_option("#id_owner", "factory")
    page.fill("#id_deadline", deadline)
    page.fill("#id_cost", "4200")
    page.click("#item-form button[type=submit]")
    expect(page.locator("article.cap-item")).to_contain_text("Replace the locks by panic bars")

    # B: invited without names, joins, then sees A (and not D) and proposes the shares.
    hand_over(page, w.member_b.username)
    page.goto("/collective/")
    assert_accessible(page)
    page.click("text=Fire exits at Dhaka Knit")
    page.wait_for_url("**/collective/actions/*/")
    content = page.content()
    assert "Your organisation is invited" in content
    assert "a member of the covenant" in content
    for name in ("Company A", "Company D"):
        assert name not in content
    page.click("button:has-text('Join')")
    page.wait_for_url(action_url)
    expect(page.locator("#joined-members")).to_contain_text("Company B")
    joined = page.locator("#joined-members").inner_text()
    assert "Company A" in joined and "Company B" in joined
    assert "Company D" not in page.content()
    form = page.locator("form.shares-form")
    form.get_by_label("Company A").fill("60")
    form.get_by_label("Company B").fill("40")
    form.locator("button").click()
    expect(page.locator("p.shares-state")).to_contain_text("not yet agreed by all")

    # A agrees to its share, names the union verifier and reports the fix with evidence.
    hand_over(page, w.member_a.username)
    page.goto(action_url)
    page.click("button:has-text('Agree to our share of 60')")
    expect(page.locator("p.shares-state")).to_have_text("Cost shares agreed")
    assert page.locator("p.shares-state").inner_text() == "Cost shares agreed"
    page.fill("#id_username", shared.union.username)
    page.select_option("#id_kind", "union")
    page.click("#verifier-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Uma Union (Trade union)")
    form = page.locator("form.status-form")
    form.locator("select").select_option("reported")
    form.locator("textarea").fill("Photos of the panic bars, invoice 2025-113")
    form.locator("button").click()
    expect(page.locator("dd.item-status")).to_contain_text("awaiting verification")

    # The union verifier: sees the plan and the evidence, not the members; verifies.
    hand_over(page, shared.union.username)
    page.goto("/collective/")
    page.click("text=Fire exits at Dhaka Knit")
    page.wait_for_url("**/collective/actions/*/")
    assert "Photos of the panic bars" in page.content()
    for name in ("Company A", "Company B", "Company D"):
        assert name not in page.content()
    page.fill("form.verify-form textarea", "Visited 3 June: bars fitted, exits open.")
    page.click("form.verify-form button[value=yes]")
    expect(page.locator("dd.item-status")).to_have_text("Fixed and verified")
    assert page.locator("dd.item-status").inner_text() == "Fixed and verified"
    logout(page)

    # The public dashboard counts it, naming no member.
    # The dashboard builds every app's section: slow on a busy 2-core machine.
    page.goto(f"/reports/dashboard/{w.covenant_x.slug}/", timeout=90000)
    section = page.locator("section", has_text="Joint action on shared facilities").first
    text = section.inner_text()
    assert "CAP items fixed and verified" in text and "100" in text
    for name in ("Company A", "Company B", "Company D", "Dhaka Knit"):
        assert name not in page.content()
    page.goto(f"/collective/public/{w.covenant_x.slug}/")
    assert page.locator("#facilities-under-cap").inner_text() == "1"
    assert page.locator("#cap-verified").inner_text().startswith("1 (100.0 %)")

    # D shares the facility but did not join: it never sees A or B.
    login(page, shared.member_d.username)
    page.goto("/collective/")
    assert "Company A" not in page.content() and "Company B" not in page.content()
    page.goto(action_url)
    content = page.content()
    assert "Your organisation is invited" in content
    for name in ("Company A", "Company B", "Uma Union", "60.00", "40.00"):
        assert name not in content
