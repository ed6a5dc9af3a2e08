"""The flow rights holders depend on, in a real browser with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from imvo.complaints.models import CaseTranslator, Complaint
from imvo.core.testing import login
from imvo.testing import build_world

BENGALI = "কারখানার মালিক তিন মাস ধরে আমাদের বেতন দেয়নি। দরজা তালাবদ্ধ থাকে।"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_in_bengali_without_javascript_follow_and_decide(browser, live_server, page):
    world = build_world()
    ctx, pub = _complainant(browser, live_server)
    pub.goto("/complaints/new/")
    assert pub.locator("#id_respondent").count() == 0  # no covenant chosen: no company list
    # Switch the form to Bengali inside the form, after typing: the text stays.
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_description", BENGALI)
    pub.select_option("#id_form_language", "bn")
    pub.click("button[name=action][value=language]")
    expect(pub.locator("html")).to_have_attribute("lang", "bn")
    assert pub.input_value("#id_description") == BENGALI
    pub.check("input[name=topics][value=wages]")
    # The form, re-sent with the covenant chosen, lists that covenant's members.
    pub.click("button[name=action][value=members]")
    pub.wait_for_load_state()  # the same form again: wait for it before reading it
    assert pub.input_value("#id_description") == BENGALI
    pub.select_option("#id_respondent", str(world.company_a.pk))
    pub.click("button[name=action][value=submit]")
    receipt = pub.inner_text("#receipt").strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)

    pub.goto("/complaints/follow/")
    pub.fill("#id_receipt", receipt.lower())
    pub.click("button[name=action][value=show]")
    expect(pub.locator("#status")).to_be_visible()
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
            page.wait_for_load_state()
        page.select_option("#id_to_state", state)
        page.fill("#id_reason", "Checked by the committee")
        page.click("#move button[type=submit]")
        page.wait_for_load_state()
    page.select_option("#id_to_state", "decision")
    page.fill("#id_reason", "Wages were withheld")
    page.fill("#id_decision", "The member pays the wages owed within 30 days.")
    page.click("#move button[type=submit]")
    expect(page.locator("#state")).to_contain_text("decision", ignore_case=True)
    c.refresh_from_db()
    assert c.state == "decision" and c.decision_text.startswith("The member pays")


BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"broken" * 20
REASONS_BN = "অভিযোগটি চুক্তির একটি সদস্য কোম্পানির সরবরাহকারী সম্পর্কে; কমিটি এটি দেখবে।"


def _new_page(ctx):
    p = ctx.new_page()
    p.set_default_timeout(15000)
    return p


def _complainant(browser, live_server):
    """A complainant's browser: in Bengali, with JavaScript off."""
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="bn-BD")
    return ctx, _new_page(ctx)


def _signed_in(browser, live_server, username):
    """Someone else, signed in at their own browser."""
    ctx = browser.new_context(base_url=live_server.url)
    p = _new_page(ctx)
    login(p, username)
    return ctx, p


def _step(page, state, reason, **fields):
    page.select_option("#id_to_state", state)
    page.fill("#id_reason", reason)
    for selector, value in fields.items():
        if selector.startswith("select:"):
            page.select_option(selector[7:], value)
        else:
            page.fill(selector, value)
    page.click("#move button[type=submit]")
    page.wait_for_load_state()  # the case page again, after the move (or with its error)
    assert page.locator(".msg.error").count() == 0, page.inner_text(".msg.error")


def _follow(ctx, receipt):
    p = _new_page(ctx)
    p.goto("/complaints/follow/")
    p.fill("#id_receipt", receipt)
    p.click("button[name=action][value=show]")
    p.wait_for_load_state()
    return p


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reasons_reach_the_complainant_through_appeal_and_closure(browser, live_server, page):
    """The issue's whole path, with JavaScript off for the complainant: filed in
    Bengali with a broken photo (the complaint is kept, the photo refused);
    found by topic in the case list; translated by a translator bound to the
    case; ruled admissible with reasons the complainant reads on the follow
    page in Bengali; decided; appealed and decided by another member; closed on
    a recorded ground; answered at the 3-month check after closure."""
    from datetime import timedelta

    from django.utils import timezone

    from imvo.accounts.testing import make_user
    from imvo.complaints.services import aftercare
    from imvo.covenants.models import Theme

    world = build_world()
    # The covenant's own sub-theme for wages (the transactional database may
    # have lost the seeded OECD chapters).
    employment, _new = Theme.objects.get_or_create(
        code="employment", covenant=None, defaults={"name_en": "Employment", "name_nl": "Werk"}
    )
    Theme.objects.create(
        code="living-wage",
        name_en="Living wage",
        name_nl="Leefbaar loon",
        parent=employment,
        covenant=world.covenant_x,
    )
    translator = make_user("translator_t", first_name="Amina", last_name="Rahman")
    other_case = Complaint.objects.create(
        covenant=world.covenant_x, receipt_hash="x" * 64, reference="2026-09999"
    )  # another topic: the filter must leave it out
    # She translated a case of the covenant before: the committee may choose her
    # (it picks from the people its committee page lists, docs/security.md T80).
    CaseTranslator.objects.create(complaint=other_case, user=translator, language="nl")
    ctx, pub = _complainant(browser, live_server)
    pub.goto("/complaints/new/")
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_description", BENGALI)
    pub.select_option("#id_form_language", "bn")
    pub.click("button[name=action][value=language]")
    pub.wait_for_load_state()
    pub.check("input[name=topics][value=wages]")
    pub.set_input_files(
        "#id_evidence", {"name": "ছবি.png", "mimeType": "image/png", "buffer": BROKEN_PNG}
    )
    pub.click("button[name=action][value=submit]")
    receipt = pub.inner_text("#receipt").strip()
    refused = pub.inner_text("#refused")
    assert "ছবি.png" in refused and "damaged" not in refused  # said in Bengali
    c = Complaint.objects.exclude(pk=other_case.pk).get()
    assert c.description == BENGALI and c.evidence.get().refusal == "damaged_image"

    # Found by its topic in the committee's case list.
    login(page, "committee_x")
    page.goto("/complaints/cases/")
    page.select_option("#id_theme", "living-wage")
    page.click("#case-filter button[type=submit]")
    page.wait_for_url(re.compile(r"[?&]theme=living-wage"))
    listed = page.inner_text("#cases")
    assert c.reference in listed and other_case.reference not in listed
    page.click(f"text={c.reference}")
    page.wait_for_url(re.compile(r"/complaints/cases/\d{4}-[0-9A-Z]{6}/$"))
    case_url = page.url

    # A translator bound to the case translates it; the committee reads both.
    page.select_option("#id_translator", str(translator.pk))
    page.select_option("#id_language", "en")
    page.click("#request-translation button[type=submit]")
    expect(page.locator("#translators")).to_contain_text("Amina Rahman")
    tr_ctx, tr = _signed_in(browser, live_server, "translator_t")
    tr.goto(case_url)
    assert BENGALI in tr.content()
    tr.fill(
        "#text-complaint textarea", "The factory owner has not paid our wages for three months."
    )
    tr.click("#text-complaint button[type=submit]")
    tr.wait_for_load_state()
    tr_ctx.close()
    page.goto(case_url)
    assert "has not paid our wages" in page.inner_text("#description-en")
    assert BENGALI in page.inner_text("#description")

    _step(page, "acknowledged", "আপনার অভিযোগ আমরা পেয়েছি।")
    page.select_option("#id_officer", str(world.secretariat_x.pk))
    page.click("#assign button[type=submit]")
    page.wait_for_load_state()
    _step(page, "admissibility", "কমিটি অভিযোগটি পরীক্ষা করছে।")
    _step(page, "admissible", REASONS_BN)

    follow = _follow(ctx, receipt)
    assert "গ্রহণযোগ্য" in follow.inner_text("#status")  # the state, in Bengali
    assert REASONS_BN in follow.inner_text("#steps")
    follow.close()

    _step(page, "investigation", "কমিটি উভয় পক্ষের কথা শুনবে।")
    _step(
        page,
        "decision",
        "মজুরি আটকে রাখা হয়েছিল।",
        **{"#id_decision": "সদস্য কোম্পানি ৩০ দিনের মধ্যে বকেয়া মজুরি পরিশোধ করবে।"},
    )
    follow = _follow(ctx, receipt)
    follow.fill("#id_message", "সিদ্ধান্তে ওভারটাইমের কথা নেই।")
    follow.check("input[name=appeal]")
    follow.click("button[name=action][value=reply]")
    expect(follow.locator("[role=status]")).to_have_count(1)
    follow.close()

    _step(page, "appeal", "আপনার আপিল গ্রহণ করা হয়েছে।")
    # The member who decided first cannot decide the appeal...
    page.select_option("#id_to_state", "decision")
    page.fill("#id_reason", "আপিলের সিদ্ধান্ত।")
    page.fill("#id_decision", "x")
    page.click("#move button[type=submit]")
    expect(page.locator(".msg.error")).to_contain_text("took no part in the first decision")
    # ...another member does.
    other, second = _signed_in(browser, live_server, "recused_committee_x")
    second.goto(f"/complaints/cases/{c.reference}/")
    _step(
        second,
        "decision",
        "আপিল আংশিক মঞ্জুর: ওভারটাইমও পরিশোধ করতে হবে।",
        **{"#id_decision": "বকেয়া মজুরি ও ওভারটাইম ৩০ দিনের মধ্যে পরিশোধ।"},
    )
    _step(second, "closed", "আপিলের সিদ্ধান্ত চূড়ান্ত; মামলা বন্ধ।", **{"select:#id_ground": "decided"})
    other.close()

    c.refresh_from_db()
    assert (c.state, c.closure_ground) == ("closed", "decided")
    follow = _follow(ctx, receipt)
    steps = follow.inner_text("#steps")
    assert "আপিল আংশিক মঞ্জুর" in steps and "মামলা বন্ধ" in steps
    assert "সিদ্ধান্ত নেওয়া হয়েছে" in follow.inner_text("#closure")  # the ground, in Bengali
    assert follow.locator("#after-closure").count() == 0  # not asked yet
    follow.close()

    # Three months later the scheduled job asks; the complainant answers in Bengali.
    assert aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100)) == 1
    follow = _follow(ctx, receipt)
    assert "৩ মাস" in follow.inner_text("#after-closure") or "3 মাস" in follow.inner_text(
        "#after-closure"
    )
    follow.check("input[name=retaliation][value=yes]")
    follow.fill("#id_after_comment", "সুপারভাইজার আমাকে রাতের শিফটে পাঠিয়েছে।")
    follow.click("button[name=action][value=after_closure]")
    assert "ধন্যবাদ" in follow.inner_text("#after-closure-sent")
    ctx.close()
    chk = c.after_closure_checks.get()
    assert chk.months == 3 and chk.retaliation is True and chk.follow_up_needed
    page.goto(case_url)
    assert "retaliation reported" in page.inner_text("#after-closure")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_mistyped_code_is_explained_kept_and_a_lost_one_has_a_way(
    browser, live_server
):
    """A worker on a small phone without JavaScript: a group left out of the code is
    named as such, the code stays in the field to be corrected, and the page says
    what to do when the code is lost."""
    from imvo.complaints.tests.helpers import file

    world = build_world()
    code = file(world).receipt
    ctx = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    pub = _new_page(ctx)
    pub.goto("/complaints/follow/")
    expect(pub.locator("#lost")).to_be_visible()  # before any code is typed
    pub.fill("#id_receipt", code[:-5])
    pub.click("button[name=action][value=show]")
    expect(pub.locator("#receipt_error")).to_contain_text("Letters and digits you typed: 16")
    assert pub.input_value("#id_receipt") == code[:-5]
    pub.fill("#id_receipt", pub.input_value("#id_receipt") + code[-5:])
    pub.click("button[name=action][value=show]")
    expect(pub.locator("#status")).to_be_visible()
    ctx.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_search_and_company_list_land_where_their_answer_is(browser, live_server):
    """The complaint form is long on a phone: after Search or Show the companies the
    page opens at the answer, not at the top (without JavaScript)."""
    world = build_world()
    ctx = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    pub = _new_page(ctx)
    pub.goto("/complaints/new/")
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_location_query", "nothing like this")
    pub.click("button[name=action][value=search]")
    pub.wait_for_load_state()
    expect(pub.locator("#where")).to_be_in_viewport()
    pub.click("button[name=action][value=members]")
    pub.wait_for_load_state()
    expect(pub.locator("#id_respondent")).to_be_in_viewport()
    ctx.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_refused_step_keeps_what_the_committee_wrote(browser, live_server, page):
    """Closing without a ground is refused with the reason, and the reasons, the
    chosen state and the note come back as typed, not blank."""
    from imvo.complaints.tests.helpers import file

    world = build_world()
    c = file(world).complaint
    login(page, "committee_x")
    page.goto(f"/complaints/cases/{c.reference}/")
    page.select_option("#id_to_state", "closed")
    page.fill("#id_reason", "We could not reach you in three months of trying.")
    page.fill("#id_note", "Tried the phone number four times.")
    page.click("#move button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator(".msg.error")).to_contain_text("ground")
    assert page.input_value("#id_to_state") == "closed"
    assert page.input_value("#id_reason") == "We could not reach you in three months of trying."
    assert page.input_value("#id_note") == "Tried the phone number four times."
    # What came back is sent as it stands, with another choice of step.
    page.select_option("#id_to_state", "acknowledged")
    page.click("#move button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".msg.error").count() == 0, page.inner_text(".msg.error")
    expect(page.locator("#state")).to_contain_text("Acknowledged")
    expect(page.locator(".msg.success")).to_contain_text("Recorded: the case is now “Acknowledged”")
    c.refresh_from_db()
    assert c.state == "acknowledged"


# Where a code's first characters are drawn, left to right: the year of "2026-7KQ4M9"
# must come first on the screen, as it is read aloud and typed.
_FIRST_AND_REST_LEFT = """el => {
    const text = el.firstChild, r1 = document.createRange(), r2 = document.createRange();
    r1.setStart(text, 0); r1.setEnd(text, 4);
    r2.setStart(text, 5); r2.setEnd(text, text.length);
    return [r1.getBoundingClientRect().left, r2.getBoundingClientRect().left];
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_arabic_the_path_reads_right_to_left_and_its_codes_left_to_right(browser, live_server):
    """An Arabic-reading worker on a phone: the pages run right to left, the timeline's
    dots sit on the right without covering the text, and the case number and receipt
    code keep their left-to-right order (an RTL page drew "2026-7KQ4M9" as "7KQ4M9-2026")."""
    world = build_world()
    ctx = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 360, "height": 740}
    )
    pub = _new_page(ctx)
    pub.goto("/complaints/new/")
    expect(pub.locator("html")).to_have_attribute("dir", "rtl")
    expect(pub.locator("h1")).to_have_text("تقديم شكوى")
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_description", "لم نحصل على أجورنا منذ شهرين.")
    pub.click("button[name=action][value=submit]")
    receipt = pub.locator("#receipt")
    assert receipt.evaluate("el => getComputedStyle(el).direction") == "ltr"
    reference = Complaint.objects.get().reference
    number = pub.locator("bdi", has_text=reference)
    year_left, rest_left = number.evaluate(_FIRST_AND_REST_LEFT)
    assert year_left < rest_left
    code = receipt.inner_text().strip()

    pub.goto("/complaints/follow/")
    pub.fill("#id_receipt", code)
    pub.click("button[name=action][value=show]")
    year_left, rest_left = pub.locator("dd bdi").evaluate(_FIRST_AND_REST_LEFT)
    assert year_left < rest_left
    step = pub.locator("#steps li").first
    padding = step.evaluate(
        "el => [getComputedStyle(el).paddingRight, getComputedStyle(el).paddingLeft]"
    )
    assert padding == ["16px", "0px"]  # room for the dot on the right, the reading start
    assert not pub.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    ctx.close()
