"""WCAG 2.2 AA checked by axe-core in Debian's chromium, on the covenant pages."""

from datetime import date
from decimal import Decimal

import pytest

from imvo.core.testing import assert_accessible, login
from imvo.testing import adhere, make_agreement, make_covenant, make_org, make_secretariat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_and_secretariat_pages_have_no_axe_violations(page):
    c = make_covenant(slug="garment-textile")
    adhere(c, make_org("Tulipa Textiles"))
    a = make_agreement(c)
    a.measurements.create(date=date(2025, 3, 31), value=Decimal(30), source="assessment")
    make_secretariat(c, "sanne")
    for url in ["/", "/covenants/garment-textile/", "/accounts/login/"]:
        page.goto(url)
        assert_accessible(page)
    login(page, "sanne")
    for url in [
        "/accounts/",
        "/manage/garment-textile/",
        "/manage/garment-textile/agreements/new/",
        f"/manage/garment-textile/agreements/{a.pk}/measurements/new/",
    ]:
        page.goto(url)
        assert_accessible(page)
    # A form with errors: messages must be tied to their fields.
    page.goto("/manage/garment-textile/agreements/new/")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert_accessible(page)
