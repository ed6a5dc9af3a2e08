"""Reach: every public page and the main signed-in flows pass axe-core (WCAG 2.2 AA) in
Debian's chromium, fit a 320 px phone screen in a left-to-right and the right-to-left
language, and offer the language switch.

The public pages come from the one list in `public_pages.py`.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

from imvo.core.testing import assert_accessible, login
from imvo.tests.public_pages import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Width of the page's scrolling box; tables may scroll inside their .table-scroll wrapper.
PAGE_WIDTH = "document.scrollingElement.scrollWidth"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_public_pages_pass_axe_fit_320px_and_switch_language(browser, live_server, page, media):
    pages = public_pages()
    failures: list[str] = []
    for url in pages:
        page.goto(url)
        try:
            assert_accessible(page)
        except AssertionError as e:
            failures.append(str(e))
        # The language switch is on every page, labelled, and posts to Django's set_language.
        assert page.locator("form.lang select#lang-select").count() == 1, url
    for locale, lang, direction in [("en-GB", "en", "ltr"), ("ar", "ar", "rtl")]:
        # A fresh context, as a phone whose browser asks for this language.
        ctx = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 320, "height": 640}
        )
        phone = ctx.new_page()
        phone.set_default_timeout(15000)
        for url in pages:
            phone.goto(url)
            html = phone.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, direction), url
            width = phone.evaluate(PAGE_WIDTH)
            if width > 320:
                failures.append(f"{url} in {lang} is {width} px wide at 320 px")
        ctx.close()
    assert not failures, "\n".join(failures)


def test_switching_language_keeps_the_page(page, live_server, media):
    """Choosing another language in the switch shows the same page in that language."""
    public_pages()
    page.goto("/risk/method/")
    page.select_option("#lang-select", "tr")
    page.locator("form.lang button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/risk/method/")
    assert page.locator("html").get_attribute("lang") == "tr"
    assert "Riskler nas\u0131l puanlan\u0131r" in page.inner_text("h1")  # Turkish dotless i


def test_signed_in_flows_pass_axe(page, world, media):
    """A supplier list uploaded and its uncertain matches resolved, the risk register, a
    due-diligence submission being filled in and sent (member), and a complaint case being
    handled (committee)."""
    from imvo.complaints.services import workflow
    from imvo.complaints.tests.helpers import REASON, file
    from imvo.duediligence.services import frameworks, submissions

    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    submission = submissions.check_start_submission(
        world.member_a, world.covenant_x, timezone.localdate().year
    )
    case = file(world, respondent=world.company_a).complaint
    case = workflow.check_move(world.secretariat_x, case, "acknowledged", REASON)
    workflow.check_assign_officer(world.secretariat_x, case, world.secretariat_x)
    case = workflow.check_move(world.secretariat_x, case, "admissibility", REASON)

    login(page, "member_a")
    if apps.is_installed("imvo.supplychain"):
        from imvo.supplychain.tests.helpers import make_facility

        # Two registry records of one factory: the platform asks the member to choose.
        make_facility("Bergman Riveria Serflex SAC", "Av. Universitaria 3855, Lima", "PE")
        make_facility("BERGMAN RIVERIA - SERFLEX S.A.C.", "Av Universitaria 3855 Lima", "PE")
        page.goto("/supply-chain/upload/")
        assert_accessible(page)
        page.select_option("#id_covenant", str(world.covenant_x.pk))
        page.set_input_files(
            "#id_file",
            files=[
                {
                    "name": "suppliers.csv",
                    "mimeType": "text/csv",
                    "buffer": b"Factory name,Address,Country\n"
                    b'"Bergman Riveria Serflex S.A.C.","Av. Universitaria 3855 Lima",PE\n',
                }
            ],
        )
        page.click("main button[type=submit]")
        page.wait_for_url("**/supply-chain/lists/*/")
        assert_accessible(page)  # the preview
        list_url = page.url
        page.click("button[value=confirm]")
        page.wait_for_url("**/supply-chain/lists/*/")
        page.click("text=Versions of this disclosure")
        page.wait_for_url("**/supply-chain/disclosures/*/")
        assert_accessible(page)
        for url in [f"{list_url}rows/", f"{list_url}decisions/", "/supply-chain/"]:
            page.goto(url)
            assert_accessible(page)
    for url in [
        "/risk/",
        "/risk/register/",
        "/due-diligence/",
        f"/due-diligence/submissions/{submission.pk}/",
    ]:
        page.goto(url)
        assert_accessible(page)
    # Sent empty, the form shows its errors: they must be tied to their fields too.
    page.click("#submit-btn")
    page.wait_for_load_state()
    assert_accessible(page)

    page.context.clear_cookies()
    login(page, "committee_x")
    for url in ["/complaints/cases/", f"/complaints/cases/{case.reference}/"]:
        page.goto(url)
        assert_accessible(page)


def test_signed_in_pages_fit_a_phone_and_pass_axe_there(browser, live_server, world, media):
    """At 390 px the secretariat's covenant page keeps its width (the tables scroll in
    their own box; a hidden label in a cell once widened the page to 618 px) and its
    scrolling tables are reachable by keyboard (axe at phone width, not only desktop)."""
    from datetime import date
    from decimal import Decimal

    from imvo.testing import make_agreement

    agreement = make_agreement(
        world.covenant_x,
        title_nl="Alle productielocaties, tier 1 en tier 2, op de openbare lijst",
    )
    agreement.measurements.create(date=date(2025, 3, 31), value=Decimal(30), source="audit")
    ctx = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 800}
    )
    phone = ctx.new_page()
    phone.set_default_timeout(15000)
    login(phone, "secretariat_x")
    for url in ["/manage/covenant-x/", "/complaints/overdue/", "/due-diligence/"]:
        phone.goto(url)
        assert phone.evaluate(PAGE_WIDTH) <= 390, url
        assert_accessible(phone)
    ctx.close()
