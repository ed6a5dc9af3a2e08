"""How many other members source at a member's facilities (the shared-facilities
page) is shown only once K members disclosed. Found by the audit: a member can put
any factory on its own list; with one other member disclosing for the year, the
page's count said, factory by factory, which are on that member's list."""

from __future__ import annotations

import pytest

from imvo.supplychain import services
from imvo.supplychain.models import DisclosurePolicy
from imvo.supplychain.tests.helpers import make_registry
from imvo.supplychain.tests.test_services import LIST_A, YEAR, upload


@pytest.fixture
def registry(db):
    return make_registry()


def test_a_member_cannot_probe_another_members_list_below_k(client, world, registry) -> None:
    upload(world.member_b, world.covenant_x, LIST_A[:1])  # B: Dhaka only
    upload(world.member_a, world.covenant_x, LIST_A[:2])  # A probes Dhaka and Saigon
    mine = services.shared_for_member(world.member_a, world.covenant_x, YEAR)
    assert len(mine) == 2 and {f["others"] for f in mine} == {None}
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    assert "Fewer than 5 members disclosed their locations" in page
    assert "<td>1</td>" not in page and "<td>0</td>" not in page


def test_the_count_is_shown_once_k_members_disclosed(client, world, registry) -> None:
    from imvo.accounts.testing import make_user
    from imvo.testing import adhere, make_org

    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    upload(world.member_b, world.covenant_x, LIST_A[:1])
    upload(world.member_a, world.covenant_x, LIST_A[:2])
    third = make_org("Third")
    adhere(world.covenant_x, third)
    upload(make_user(organisation=third), world.covenant_x, LIST_A[1:2])
    mine = {
        f["name"]: f["others"]
        for f in services.shared_for_member(world.member_a, world.covenant_x, YEAR)
    }
    assert sorted(mine.values()) == [1, 1]  # B at Dhaka, the third at Saigon
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    assert "<td>1</td>" in page and "members disclosed their locations" not in page
