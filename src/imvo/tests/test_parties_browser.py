"""Every party has its place, in a real browser (issue 17).

The secretariat sets up governance for a new covenant (a steering group with
an independent chair and a seat per constituency), runs a meeting (agenda,
minutes) and records a decision; admits a company that applied online; and an
exclusion on the due-diligence escalation path cites the decision. Then the
union, government and branch-organisation users of the demo open their own
workspaces.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imvo.core.demo import DEMO_PASSWORD
from imvo.core.testing import login, logout
from imvo.testing import make_covenant, make_party, make_secretariat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_sets_up_governance_admits_an_applicant_and_an_exclusion_cites_a_decision(
    page,
):
    covenant = make_covenant(slug="stone", name_en="Natural Stone Agreement", name_nl="Natuursteen")
    for name, kind in (
        ("Graniet B.V.", "company"),
        ("FNV", "union"),
        ("Arisa", "ngo"),
        ("BZ", "government"),
    ):
        make_party(covenant, name, kind)
    make_secretariat(covenant, "sanne")

    # A company applies online from the public covenant page.
    page.goto("/covenants/stone/")
    page.click("text=Does your company want to join? Apply online")
    page.fill("#id_organisation_name", "Zeeland Stone B.V.")
    page.fill("#id_contact_name", "Ann de Wit")
    page.fill("#id_contact_email", "ann@zeeland-stone.example")
    page.check("#id_conditions_accepted")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Application received")

    login(page, "sanne")
    page.click("text=Governance: Natural Stone Agreement")
    page.wait_for_selector("text=No governance bodies yet")
    page.click("text=New governance body")
    page.fill("#id_name_nl", "Stuurgroep")
    page.fill("#id_name_en", "Steering group")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Body created")

    def add_seat(group: str, organisation: str = "", holder: str = "", chair: bool = False):
        page.click("text=Add a seat")
        page.select_option("#id_group", label=group)
        if organisation:
            page.select_option("#id_organisation", label=organisation)
        if holder:
            page.fill("#id_holder", holder)
        if chair:
            page.check("#id_is_chair")
        page.fill("#id_substitute", "Deputy")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=Seat added.")

    add_seat("Independent", holder="Pieter Zwart", chair=True)
    add_seat("Business", "Graniet B.V.")
    add_seat("Trade unions", "FNV")
    add_seat("Government", "BZ")
    # The NGO party has no seat yet: the verdict says so.
    main = page.locator("main")
    expect(main).to_contain_text("NGOs are parties to the covenant but hold no seat.")
    expect(main).to_contain_text("Representation is not equal")
    add_seat("NGOs", "Arisa")
    expect(main).to_contain_text("Representation is equal")

    # A meeting: agenda with a paper for the body, minutes for all parties.
    page.click("text=Schedule a meeting")
    page.fill("#id_date", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.fill("#id_location", "SER, Den Haag")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Meeting scheduled")
    page.fill("#id_item-title_nl", "Uitsluiting Graniet B.V.")
    page.fill("#id_item-title_en", "Exclusion of Graniet B.V.")
    page.fill(
        "#id_item-paper_en", "Graniet B.V. did not submit an action plan after formal notice."
    )
    page.click("button:has-text('Add to the agenda')")
    page.wait_for_selector("text=Agenda item added.")
    page.fill("#id_minutes-minutes_en", "The steering group decides to exclude Graniet B.V.")
    page.select_option("#id_minutes-visibility", label="All parties of the covenant")
    page.click("button:has-text('Save the minutes')")
    page.wait_for_selector("text=the meeting is marked held")
    page.click("text=Record a decision of this meeting")
    page.fill("#id_text_nl", "Graniet B.V. wordt uitgesloten van het convenant.")
    page.fill("#id_text_en", "Graniet B.V. is excluded from the covenant.")
    page.select_option("#id_mode", label="Vote")
    page.fill("#id_votes_for", "4")
    page.fill("#id_votes_against", "0")
    page.fill("#id_abstentions", "1")
    page.click("main button[type=submit]")
    year = timezone.localdate().year
    page.wait_for_selector(f"text=Decision {year}-01 recorded.")

    # The applicant is admitted; the one-time invitation link is shown.
    page.goto("/accounts/")
    page.click("text=Applications to join: Natural Stone Agreement")
    page.click("text=Zeeland Stone B.V.")
    page.check("input[value=admit]")
    page.fill("#id_start_date", timezone.localdate().isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Zeeland Stone B.V. is admitted")
    assert "/accounts/invitation/" in page.inner_text("#invitation-link")

    # The exclusion on the escalation path cites the decision.
    page.goto("/due-diligence/c/stone/escalation/")
    page.select_option("#id_organisation", label="Graniet B.V.")
    page.select_option("#id_step", value="exclusion")
    page.fill("#id_reason", "No action plan after formal notice.")
    page.select_option("#id_decision", index=1)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Escalation step recorded.")
    page.click(f"td a:has-text('{year}-01')")
    page.wait_for_selector("text=Graniet B.V. is excluded from the covenant.")
    expect(page.locator("main")).to_contain_text("4 for, 0 against, 1 abstentions")

    # The public page: the new member is a party, the excluded one is a former party
    # with the date and the reason citing the decision.
    logout(page)
    page.goto("/covenants/stone/")
    parties = page.inner_text("#parties + p + ul")
    assert "Zeeland Stone B.V." in parties and "Graniet B.V." not in parties
    former = page.locator("h3:has-text('Former parties') + ul").inner_text()
    assert "Graniet B.V." in former and f"decision {year}-01" in former
    assert "Representation is equal" in page.inner_text("#governance ~ p.verdict")


@pytest.fixture
def demo_covenants(transactional_db):
    from imvo.covenants import demo

    demo.load()


def test_union_government_and_branch_each_open_their_own_workspace(page, demo_covenants):
    login(page, "union", DEMO_PASSWORD)
    start = page.inner_text("main")
    assert "Upload a supplier list" not in start and "Complaints about your company" not in start
    page.click("text=Your union's place")
    page.wait_for_selector("text=Train worker representatives in production countries")
    expect(page.locator("main")).to_contain_text("File a complaint on behalf of workers")
    # KPI progress with the parties' comments beside the figures: the union comments.
    garment = page.locator("section.place", has_text="Garment")
    garment.locator("text=KPI progress: read and comment beside the figures").click()
    first = page.locator("section.kpi-line").first
    first.locator("textarea").fill("The audits counted were announced in advance.")
    first.locator("button:has-text('Add the comment')").click()
    page.wait_for_selector("text=Comment added beside the figures.")
    expect(page.locator("section.kpi-line").first.locator(".kpi-comments")).to_contain_text(
        "The audits counted were announced in advance."
    )
    # The union's production-location view of the covenant (aggregates only).
    page.goto("/parties/")
    garment = page.locator("section.place", has_text="Garment")
    garment.locator("text=Production locations: open risks and complaints per country").click()
    page.wait_for_selector("#locations")
    logout(page)

    login(page, "government", DEMO_PASSWORD)
    page.click("text=Government: commitments, governance and the obstacles register")
    page.wait_for_url("**/parties/")
    garment = page.locator("section.place", has_text="Garment")
    expect(garment).to_contain_text("Raise union access with the governments")
    garment.locator("text=Obstacles register").click()
    page.click("text=Toegang voor vakbonden tot de industrieparken in Ethiopië")
    expect(page.locator("main")).to_contain_text("Ambassade Addis Abeba")
    page.select_option("#id_action", value="close")
    page.fill("#id_text", "Access protocol agreed for two parks.")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Access protocol agreed for two parks.")
    expect(page.locator("main")).to_contain_text("Closed")
    # Government reads the union's comment beside the figures, in Dutch too.
    page.goto("/parties/")
    page.locator("section.place", has_text="Garment").locator("text=KPI progress").click()
    expect(page.locator("main")).to_contain_text("The audits counted were announced in advance.")
    logout(page)

    login(page, "branch", DEMO_PASSWORD)
    page.click("text=Your branch organisation")
    page.wait_for_url("**/parties/")
    garment = page.locator("section.place", has_text="Garment")
    members = garment.inner_text()
    assert "Noorderlicht Fashion B.V." in members and "Dijkstra Workwear" in members
    assert "Kustlijn Sportswear" not in members  # not a Modint member
    garment.locator("text=Remind your members").click()
    page.fill("#id_message", "Please submit your due-diligence report by 1 May.")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Reminder sent to")
    # The branch organisation reads the parties' comments beside the KPI figures too.
    page.goto("/parties/")
    page.locator("section.place", has_text="Garment").locator("text=KPI progress").click()
    expect(page.locator("main")).to_contain_text("The audits counted were announced in advance.")
