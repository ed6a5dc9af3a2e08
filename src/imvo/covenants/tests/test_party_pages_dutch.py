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
