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
    # B at Dhaka, the third at Saigon: one other member each (K = 3: the range 1 to
    # K - 2 is "1").
    assert sorted(mine.values()) == ["1", "1"]
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    assert "<td>1</td>" in page and "members disclosed their locations" not in page


def test_below_k_others_a_member_reads_a_band_never_the_exact_count(client, world, registry):
    """K = 4, four members. A's facilities have 1, 2, 3 and 0 other members: A reads
    "1\u20132", "1\u20132" (fewer than K members there, A included), "3" (K members)
    and "0", and the two facilities in the range come in
    name order (Dhaka before Saigon), not by their counts (Saigon has more): the
    order of a page must not tell what its figures withhold. Found by review: a
    count of 1 said exactly one other member had the factory, which K - 1 colluding
    members, or a member watching the count change when a known competitor
    disclosed, turned into that competitor's factory."""
    from imvo.accounts.testing import make_user
    from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes
    from imvo.testing import adhere, make_org

    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=4)
    rows = [list(r) for r in REGISTRY]
    dhaka, saigon, anatolia, ningbo = rows[0], rows[1], rows[2], rows[3]
    c, d = make_org("Company C3"), make_org("Company D4")
    for org in (c, d):
        adhere(world.covenant_x, org)

    def disclose(user, listed):
        services.upload_list(user, world.covenant_x, YEAR, "l.csv", csv_bytes(listed))

    disclose(world.member_a, [dhaka, saigon, anatolia, ningbo])
    disclose(world.member_b, [dhaka, saigon, anatolia])
    disclose(make_user(organisation=c), [saigon, anatolia])
    disclose(make_user(organisation=d), [anatolia])
    mine = [
        (f["name"], f["others"])
        for f in services.shared_for_member(world.member_a, world.covenant_x, YEAR)
    ]
    assert mine == [
        (registry[2].name, "3"),
        (registry[0].name, "1\u20132"),  # one other member
        (registry[1].name, "1\u20132"),  # two other members
        (registry[3].name, "0"),
    ]
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    cells = [c.split("</td>")[0] for c in page.split("<td>")[1:]]
    assert "1" not in cells and "2" not in cells
    assert cells.count("1\u20132") == 2 and "3" in cells and "0" in cells
