"""In a real browser: a complaint filed without a company, its respondent named
by the committee, the company answering with a file, the complainant reading
that the company was identified and downloading their own file; and the form's
error summary leading to the fields. The complainant's browser runs without
JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from imvo.complaints.models import Complaint
from imvo.complaints.tests.helpers import jpeg_with_exif
from imvo.core.testing import assert_accessible, login, one_page_pdf
from imvo.testing import build_world

WHY = "Its 2025 supplier list names the factory the workers describe."


def _page(ctx):
    p = ctx.new_page()
    p.set_default_timeout(15000)
    return p


def _form(browser, live_server, world, description: str, javascript: bool = False):
    """The complainant's browser (JavaScript off unless asked) on the form, covenant X chosen."""
    ctx = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    pub = _page(ctx)
    pub.goto("/complaints/new/")
    pub.select_option("#id_covenant", world.covenant_x.slug)
    pub.fill("#id_description", description)
    return ctx, pub


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    with open(info.value.path(), "rb") as f:
        return f.read()


def _step(page, state: str, reason: str) -> None:
    page.select_option("#id_to_state", state)
    page.fill("#id_reason", reason)
    page.click("#move button[type=submit]")
    expect(page.locator("#state")).to_contain_text(state[:8], ignore_case=True)


def _open_case(browser, live_server, username, c):
    """A company user's own browser, signed in, on the case opened from the case list."""
    ctx = browser.new_context(base_url=live_server.url)
    p = _page(ctx)
    login(p, username)
    p.goto("/complaints/cases/")
    p.click(f"text={c.reference}")
    p.wait_for_url(re.compile(rf"/complaints/cases/{c.reference}/$"))
    return ctx, p


def _follow(ctx, receipt):
    p = _page(ctx)
    p.goto("/complaints/follow/")
    p.fill("#id_receipt", receipt)
    p.click("button[name=action][value=show]")
    expect(p.locator("#status")).to_be_visible()
    return p


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_named_respondent_answers_with_a_file_and_the_complainant_gets_their_own(
    browser, live_server, page
):
    world = build_world()
    # The complainant files without knowing the company, with a phone photo.
    ctx, pub = _form(browser, live_server, world, "Our wages were not paid at the sewing unit.")
    pub.set_input_files(
        "#id_evidence", {"name": "gate.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}
    )
    pub.click("button[name=action][value=submit]")
    receipt = pub.inner_text("#receipt").strip()
    c = Complaint.objects.get()
    assert c.respondent is None

    # The committee takes it to the admissibility review and names company B.
    login(page, "committee_x")
    page.goto(f"/complaints/cases/{c.reference}/")
    expect(page.locator("#respondents")).to_contain_text("No member company named yet")
    _step(page, "acknowledged", "We received your complaint.")
    page.select_option("#id_officer", str(world.secretariat_x.pk))
    page.click("#assign button[type=submit]")
    page.wait_for_load_state()
    _step(page, "admissibility", "We check whether we can handle it.")
    page.select_option("#id_organisation", [str(world.company_b.pk)])
    page.fill("#id_naming_reason", WHY)
    page.click("#name-respondent button[type=submit]")
    expect(page.locator("#namings")).to_contain_text("Company B")
    expect(page.locator("#namings")).to_contain_text(WHY)
    expect(page.locator("#respondents")).to_contain_text("Company B")
    assert_accessible(page)
    _step(page, "admissible", "The committee will handle your complaint.")

    # Company B sees the case now and answers with a PDF.
    b_ctx, b = _open_case(browser, live_server, "member_b", c)
    assert "gate.jpg" not in b.content() and WHY not in b.content()
    b.fill("#id_body", "We paid the wages on 3 May; the payslips are attached.")
    b.set_input_files(
        "#id_files",
        {"name": "payslips.pdf", "mimeType": "application/pdf", "buffer": one_page_pdf()},
    )
    b.click("#answer button[type=submit]")
    expect(b.locator("#answer-files")).to_contain_text("payslips.pdf")
    assert_accessible(b)
    assert _download(b, "#answer-files a").startswith(b"%PDF")
    b_ctx.close()

    # The committee reads the answer and its file.
    page.goto(f"/complaints/cases/{c.reference}/")
    expect(page.locator("#answer-files")).to_contain_text("payslips.pdf")
    expect(page.locator("#answer-files")).to_contain_text("Company B")
    assert _download(page, "#answer-files a").startswith(b"%PDF")

    # Company A, not named, finds nothing.
    a_ctx = browser.new_context(base_url=live_server.url)
    a = _page(a_ctx)
    login(a, "member_a")
    assert a.goto(f"/complaints/cases/{c.reference}/").status == 404
    a_ctx.close()

    # The complainant reads that the company was identified (not which) and
    # downloads their own photo, without its camera data; the company's file is not there.
    f = _follow(ctx, receipt)
    expect(f.locator("#steps")).to_contain_text("The company concerned was identified")
    assert "Company B" not in f.content() and "payslips" not in f.content()
    expect(f.locator("#my-files")).to_contain_text("gate.jpg")
    photo = _download(f, "#my-files button[name=file]")
    assert photo.startswith(b"\xff\xd8\xff") and b"SecretPhoneMaker" not in photo
    ctx.close()
    # The same follow page, checked for WCAG 2.2 AA (axe needs JavaScript).
    js_ctx = browser.new_context(base_url=live_server.url)
    assert_accessible(_follow(js_ctx, receipt))
    js_ctx.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_summary_leads_to_the_field_and_keeps_the_text(browser, live_server):
    world = build_world()
    ctx, pub = _form(browser, live_server, world, "Our wages were not paid for three months.")
    pub.fill("#id_name", "Rina")
    # Six photos: one more than the limit, which only the server checks.
    photo = {"mimeType": "image/jpeg", "buffer": jpeg_with_exif()}
    pub.set_input_files("#id_evidence", [{"name": f"p{i}.jpg", **photo} for i in range(6)])
    pub.click("button[name=action][value=submit]")
    summary = pub.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.locator("a[href='#id_evidence']")
    expect(link).to_contain_text("at most 5 files")
    assert pub.input_value("#id_description") == "Our wages were not paid for three months."
    assert pub.input_value("#id_name") == "Rina"
    link.click()
    pub.wait_for_url(re.compile(r"#id_evidence$"))
    expect(pub.locator("#id_evidence")).to_be_in_viewport()
    expect(pub.locator("#id_evidence")).to_have_attribute("aria-invalid", "true")
    assert not Complaint.objects.exists()
    ctx.close()
    # The page with the summary, checked for WCAG 2.2 AA (axe needs JavaScript).
    js_ctx, js = _form(browser, live_server, world, "Wages not paid.", javascript=True)
    js.set_input_files("#id_evidence", [{"name": f"p{i}.jpg", **photo} for i in range(6)])
    js.click("button[name=action][value=submit]")
    expect(js.locator("#error-summary")).to_be_visible()
    assert_accessible(js)
    js_ctx.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_named_later_reads_the_earlier_messages_not_the_complainants_name(
    browser, live_server, page
):
    from imvo.accounts.testing import make_user
    from imvo.complaints.services import filing, respondents, workflow
    from imvo.complaints.tests.helpers import assign_officer, move
    from imvo.testing import adhere, make_org

    world = build_world()
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    make_user("member_d", d)
    new = filing.NewComplaint(
        covenant=world.covenant_x,
        description="Our wages were not paid at the sewing unit.",
        name="Ayesha Rahman",
        anonymous=False,
        share_identity_with_company=True,
    )
    c = move(world.secretariat_x, filing.check_file_complaint(new).complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    early = "Explain your purchasing prices for the spring order."
    workflow.check_post_message(world.committee_x, c, early, to_company=True)
    c = move(world.committee_x, c, "admissible")
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")

    # The committee's message form says who reads what is marked for the company.
    login(page, "committee_x")
    page.goto(f"/complaints/cases/{c.reference}/")
    expect(page.locator("#to_company_help")).to_contain_text("one named later included")
    page.close()

    d_ctx, dp = _open_case(browser, live_server, "member_d", c)
    expect(dp.locator("main")).to_contain_text(early)  # from before its naming
    expect(dp.locator("main")).to_contain_text("not disclosed")
    assert "Ayesha Rahman" not in dp.content() and WHY not in dp.content()
    assert_accessible(dp)
    d_ctx.close()
