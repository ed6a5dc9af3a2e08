from datetime import date
from decimal import Decimal

import pytest

from imvo.testing import adhere, make_agreement, make_covenant, make_org

pytestmark = pytest.mark.django_db


def test_home_lists_covenants_with_phase_and_party_count(client):
    c = make_covenant(name_en="Garment Agreement", name_nl="Kledingconvenant")
    adhere(c, make_org("Tulipa Textiles"))
    adhere(c, make_org("FNV", type="union"))
    adhere(c, make_org("MVO NL", type="other"), role="stakeholder")
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Garment Agreement" in html
    assert "2 parties" in html
    assert "1 stakeholder" in html


def test_covenant_page_shows_parties_and_kpi_progress(client):
    c = make_covenant()
    adhere(c, make_org("Tulipa Textiles"))
    a = make_agreement(c, baseline_date=date(2024, 1, 1), deadline=date(2026, 1, 1))
    a.measurements.create(date=date(2025, 1, 1), value=Decimal(50), source="assessment")
    r = client.get(c.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert "Tulipa Textiles" in html
    assert "50%" in html
