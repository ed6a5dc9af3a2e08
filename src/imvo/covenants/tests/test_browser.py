"""The secretariat's main flow in a real browser: agreement, KPI, measurement, public progress."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from imvo.core.testing import login, logout
from imvo.testing import adhere, make_covenant, make_org, make_secretariat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_adds_agreement_and_measurement_then_public_sees_progress(page):
    covenant = make_covenant(
        slug="garment-textile", name_en="Garment Agreement", name_nl="Kledingconvenant"
    )
    adhere(covenant, make_org("Tulipa Textiles"))
    make_secretariat(covenant, "sanne")

    login(page, "sanne")
    page.click("text=Garment Agreement")
    page.click("text=Add agreement")
    page.fill("#id_number", "7")
    page.fill("#id_title_en", "Living wage at shared suppliers")
    page.fill("#id_title_nl", "Leefbaar loon bij gedeelde leveranciers")
    page.fill("#id_kpi_name_en", "Suppliers paying a living wage")
    page.fill("#id_kpi_name_nl", "Leveranciers die een leefbaar loon betalen")
    page.select_option("#id_kpi_unit", "suppliers")
    page.fill("#id_baseline", "0")
    page.fill("#id_target", "40")
    last_year = timezone.localdate().year - 1
    page.fill("#id_baseline_date", f"{last_year}-01-01")
    page.fill("#id_deadline", f"{last_year + 4}-01-01")
    page.check("label:has-text('Tulipa Textiles') >> input")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Agreement saved.")

    page.click("text=Record measurement")
    page.fill("#id_date", f"{last_year}-12-31")
    page.fill("#id_value", "10")
    page.fill("#id_source", "Secretariat assessment")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Measurement recorded.")

    # Log out and look as the public does.
    logout(page)
    page.goto("/covenants/garment-textile/")
    row = page.locator("tr", has_text="Living wage at shared suppliers")
    assert "25%" in row.inner_text()  # 10 of 40
    assert "Suppliers paying a living wage" in row.inner_text()
    page.select_option("#lang-select", "nl")
    page.click("form.lang button")
    expect(page.locator("tr", has_text="Leefbaar loon bij gedeelde leveranciers")).to_have_count(1)
