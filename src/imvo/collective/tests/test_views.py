"""The pages: bad input answers with the reason and keeps nothing; scope is a 404."""

from __future__ import annotations

import pytest

from imvo.collective.models import Leverage
from imvo.collective.tests.helpers import share_a_facility

pytestmark = pytest.mark.django_db


def test_leverage_form_refuses_bad_input_and_saves_good(client, world) -> None:
    shared = share_a_facility(world)
    url = f"/collective/leverage/{shared.facility.pk}/"
    client.force_login(world.member_a)
    r = client.post(url, {"share_band": "50", "years": "3"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Purchase share: choose one of 0-1, 1-3, 3-7, 7-20, 20-100." in r.content.decode()
    assert not Leverage.objects.exists()
    r = client.post(url, {"share_band": "3-7", "years": "4", "order_value": "120000"})
    assert r.status_code == 302
    record = Leverage.objects.get()
    assert (record.share_band, record.years, record.order_value) == ("3-7", 4, 120000)
    assert record.covenant == world.covenant_x
    client.force_login(world.member_c)  # does not source there
    assert client.get(url).status_code == 404


def test_register_shows_leverage_and_a_count_never_names(client, world) -> None:
    from imvo.risk import services as risk

    shared = share_a_facility(world)
    risk.create_entry(world.member_b, world.company_b, "child-labour", "Child labour", "BD",
                      scale=4, scope=1, irremediability=4)  # fmt: skip
    client.force_login(world.member_b)
    page = client.get("/risk/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 other covenant member(s) source here" in page
    assert "Propose joint action" in page
    assert f"facility={shared.facility.pk}" in page
    assert "Company A" not in page and "Company D" not in page


def test_an_item_answers_only_posts(client, world) -> None:
    client.force_login(world.member_a)
    assert client.get("/collective/items/1/").status_code == 405
