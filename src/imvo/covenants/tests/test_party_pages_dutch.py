"""What a party reads and picks on its pages is in its language: countries by name,
buttons that say what they do (found walking the demo as each party)."""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.covenants.models import Obstacle
from imvo.testing import client_for, make_party

pytestmark = pytest.mark.django_db


def test_an_obstacle_names_its_country_and_is_raised_by_picking_it(world) -> None:
    fnv = make_user("fnv", make_party(world.covenant_x, "FNV", "union"))
    c = client_for(fnv)  # Dutch, the platform's language
    url = "/parties/covenant-x/obstacles/"
    form = c.get(url).content.decode()
    assert '<option value="ET">Ethiopië</option>' in form
    assert "ISO 3166" not in form
    r = c.post(url, {"title": "Toegang tot industrieparken", "country": "ET",
                     "description": "Vakbonden mogen de parken niet in.", "ask": "Aankaarten."})  # fmt: skip
    assert r.status_code == 302
    assert Obstacle.objects.get().country == "ET"
    assert "Ethiopië (ET)" in c.get(url).content.decode()
    assert "Ethiopia (ET)" in client_for(fnv, "en").get(url).content.decode()
    # A code that is no country is refused by the form, nothing is raised.
    c.post(url, {"title": "x", "country": "XX", "description": "d", "ask": "a"})
    assert Obstacle.objects.count() == 1


def test_the_branch_reminder_page_says_send_and_leads_back(world) -> None:
    branch = make_party(world.covenant_x, "Modint", "branch")
    world.company_a.branch_organisations.add(branch)
    page = client_for(make_user("modint", branch)).get("/parties/covenant-x/remind/")
    html = page.content.decode()
    assert "Herinnering versturen" in html and ">Opslaan<" not in html
    assert 'href="/parties/"' in html


def test_a_seat_whose_term_has_ended_says_so(world) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from imvo.covenants.services import governance

    union = make_party(world.covenant_x, "FNV", "union")
    body = governance.check_create_body(world.secretariat_x, world.covenant_x, "Stuurgroep", "SG")
    ended = timezone.localdate() - timedelta(days=10)
    governance.check_add_seat(
        world.secretariat_x, body, "unions", union,
        term_start=date(ended.year - 3, 1, 1), term_end=ended,
    )  # fmt: skip
    workspace = client_for(make_user("fnv", union)).get("/parties/").content.decode()
    assert "termijn verlopen" in workspace and "termijn eindigt" not in workspace
    manage = client_for(world.secretariat_x).get("/manage/covenant-x/governance/").content.decode()
    assert "termijn verlopen" in manage


def test_a_financial_covenant_offers_no_production_location_tools(world) -> None:
    """Covenant Y is the banking sector's: its members finance, they have no supplier
    lists, so the union is not sent to empty production-location pages there."""
    from imvo.testing import adhere

    union = make_party(world.covenant_x, "FNV", "union")
    adhere(world.covenant_y, union)
    html = client_for(make_user("fnv", union)).get("/parties/").content.decode()
    assert "/parties/covenant-x/locations/" in html
    assert "/parties/covenant-y/locations/" not in html
    assert "/parties/covenant-y/signals/new/" not in html
