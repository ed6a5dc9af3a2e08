"""The flow rights holders depend on, in a real browser with JavaScript off."""

import re

import pytest

from imvo.complaints.models import Complaint
from imvo.core.testing import login
from imvo.testing import build_world

BENGALI = "কারখানার মালিক তিন মাস ধরে আমাদের বেতন দেয়নি। দরজা তালাবদ্ধ থাকে।"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_in_bengali_without_javascript_follow_and_decide(browser, live_server, page):
    world = build_world()
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="bn-BD")
    pub = ctx.new_page()
    pub.set_default_timeout(15000)
    pub.goto("/complaints/new/")
    assert pub.locator("#id_respondent").count() == 0  # no covenant chosen: no company list
    # Switch the form to Bengali inside the form, after typing: the text stays.
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_description", BENGALI)
    pub.select_option("#id_form_language", "bn")
    pub.click("button[name=action][value=language]")
    assert pub.locator("html").get_attribute("lang") == "bn"
    assert pub.input_value("#id_description") == BENGALI
    pub.check("input[name=topics][value=wages]")
    # The form, re-sent with the covenant chosen, lists that covenant's members.
    pub.click("button[name=action][value=members]")
    assert pub.input_value("#id_description") == BENGALI
    pub.select_option("#id_respondent", str(world.company_a.pk))
    pub.click("button[name=action][value=submit]")
    receipt = pub.inner_text("#receipt").strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)

    pub.goto("/complaints/follow/")
    pub.fill("#id_receipt", receipt.lower())
    pub.click("button[name=action][value=show]")
    assert pub.locator("#status").is_visible()
    assert BENGALI in pub.content()
    ctx.close()

    c = Complaint.objects.get()
    assert c.language == "bn"
    assert c.respondent == world.company_a
    login(page, "committee_x")
    page.goto("/complaints/cases/")
    page.click(f"text={c.reference}")
    for state in ("acknowledged", "admissibility", "admissible", "investigation"):
        if state == "admissibility":  # a case officer is named before admissibility
            page.select_option("#id_officer", str(world.secretariat_x.pk))
            page.click("#assign button[type=submit]")
        page.select_option("#id_to_state", state)
        page.fill("#id_reason", "Checked by the committee")
        page.click("#move button[type=submit]")
    page.select_option("#id_to_state", "decision")
    page.fill("#id_reason", "Wages were withheld")
    page.fill("#id_decision", "The member pays the wages owed within 30 days.")
    page.click("#move button[type=submit]")
    assert "decision" in page.inner_text("#state").lower()
    c.refresh_from_db()
    assert c.state == "decision" and c.decision_text.startswith("The member pays")
