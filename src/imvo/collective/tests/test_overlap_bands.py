"""Joint action shows a member how many other members source at its facilities as
the supply chain's shared-facilities page does: a band below K, never the exact
small count, ordered by the band (supplychain.seams.others_figure)."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.collective.services import leverage
from imvo.collective.tests.helpers import disclose
from imvo.supplychain.models import DisclosurePolicy
from imvo.supplychain.tests.helpers import REGISTRY, make_registry
from imvo.testing import adhere, make_org


@pytest.mark.django_db
def test_the_leverage_page_propose_form_and_register_show_bands(client: Any, world: Any) -> None:
    from imvo.risk import services as risk

    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=4)
    facilities = make_registry()
    dhaka, saigon, anatolia, ningbo = REGISTRY[:4]
    c, d = make_org("Company C3"), make_org("Company D4")
    for org in (c, d):
        adhere(world.covenant_x, org)
    disclose(world.member_a, world.covenant_x, [dhaka, saigon, anatolia, ningbo])
    disclose(world.member_b, world.covenant_x, [dhaka, saigon, anatolia])
    disclose(make_user(organisation=c), world.covenant_x, [saigon, anatolia])
    disclose(make_user(organisation=d), world.covenant_x, [anatolia])

    mine = [(f.facility_id, f.others, f.shared) for f in leverage.my_facilities(world.member_a)]
    # Anatolia (3 others: K = 4 members with A) first; Dhaka (1) and Saigon (2) in one range, by
    # country then name, not by count; Ningbo (0) last.
    assert mine == [
        (facilities[2].pk, "3", True),
        (facilities[0].pk, "1\u20132", True),
        (facilities[1].pk, "1\u20132", True),
        (facilities[3].pk, "0", False),
    ]
    client.force_login(world.member_a)
    index = client.get("/collective/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = [c.split("</td>")[0] for c in index.split("<td>")[1:]]
    assert "1" not in cells and "2" not in cells and cells.count("1\u20132") == 2
    propose = client.get("/collective/propose/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert propose.count("other members: 1\u20132") == 2 and "other members: 3" in propose
    assert "other member:" not in propose and "other members: 1<" not in propose
    risk.create_entry(world.member_a, world.company_a, "health-safety", "Fire safety", "BD",
                      scale=4, scope=2, irremediability=4)  # fmt: skip
    register = client.get("/risk/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "other covenant members sourcing here: 1\u20132" in register
    assert "member(s) source here" not in register
