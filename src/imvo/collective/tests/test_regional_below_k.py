"""A regional joint action never tells a member how many members source in a country
where fewer than K do. Found by hand: with K members disclosing in the covenant (the
covenant-wide check passes), a regional action in Viet Nam said "1 invitation not
answered yet" to the proposer, and its invited member read the same: one member
sources in Viet Nam, a figure the public list (and the map, and the report) folds
into "other countries". The secretariat, who sees who sources where, keeps its count."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.collective.services import cap, joint
from imvo.collective.tests.helpers import disclose
from imvo.supplychain.models import DisclosurePolicy
from imvo.supplychain.tests.helpers import REGISTRY, make_registry
from imvo.testing import adhere, client_for, make_org

pytestmark = pytest.mark.django_db

NEUTRAL = "How many is not shown while fewer than 3 members source there."


def _three_members(world: Any) -> Any:
    """K = 3. A and B source in Bangladesh and Viet Nam, D in Bangladesh only:
    three members disclose (counts are shown in the covenant), three source in
    Bangladesh, two in Viet Nam, none in Türkiye."""
    DisclosurePolicy.objects.update_or_create(
        covenant=world.covenant_x, defaults={"min_members": 3}
    )
    world.facilities = make_registry()
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    member_d = make_user("member_d", d)
    disclose(world.member_a, world.covenant_x, [REGISTRY[0], REGISTRY[1]])
    disclose(world.member_b, world.covenant_x, [REGISTRY[0], REGISTRY[1]])
    disclose(member_d, world.covenant_x, [REGISTRY[0]])
    return member_d


def _page(client: Any, user: Any, action: Any) -> str:
    client.force_login(user)
    page: str = client.get(
        f"/collective/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    return page


def test_a_regional_action_below_k_shows_no_count_but_to_the_secretariat(client, world) -> None:
    _three_members(world)
    vn = joint.check_propose(world.member_a, world.covenant_x, "Wages in Viet Nam", country="VN")
    for user in (world.member_a, world.member_b):  # the proposer and the invited member
        assert joint.people(user, vn).invited_open is None
        page = _page(client, user, vn)
        assert "not answered yet" not in page
        assert NEUTRAL in page
    assert joint.people(world.secretariat_x, vn).invited_open == 1
    assert "1 invitation not answered yet." in _page(client, world.secretariat_x, vn)
    # Joined, B sees who else joined (they agreed to that), still no count.
    joint.check_decide(world.member_b, vn, "join")
    assert joint.people(world.member_b, vn).joined == ["Company A", "Company B"]
    assert joint.people(world.member_b, vn).declined is None


def test_a_regional_action_with_k_members_there_shows_its_count(client, world) -> None:
    _three_members(world)
    bd = joint.check_propose(world.member_a, world.covenant_x, "Wages in Bangladesh", country="BD")
    assert joint.people(world.member_b, bd).invited_open == 2
    assert "2 invitations not answered yet." in _page(client, world.member_b, bd)


def test_a_proposer_that_does_not_source_there_is_not_counted(world) -> None:
    member_d = _three_members(world)
    # D has no facility in Viet Nam: the action rests on A and B only (two, below K).
    vn = joint.check_propose(member_d, world.covenant_x, "Wages in Viet Nam", country="VN")
    assert vn.participations.count() == 3
    assert joint.people(member_d, vn).invited_open is None
    assert joint.people(world.member_a, vn).invited_open is None


def test_no_one_to_invite_in_a_country_is_not_said_to_a_member(client, world) -> None:
    """ "No one to invite" said that no other member sources in the country."""
    _three_members(world)
    tr = joint.check_propose(world.member_a, world.covenant_x, "Wages in Türkiye", country="TR")
    assert list(tr.participations.values_list("status", flat=True)) == ["joined"]
    assert NEUTRAL in _page(client, world.member_a, tr)


def _invite_newcomers(user: Any, action: Any) -> str:
    """The action's page (in English) after `user` invited the members that began
    sourcing there since."""
    r = client_for(user, "en").post(
        f"/collective/actions/{action.pk}/", {"do": "invite_new"}, follow=True
    )
    return r.content.decode()


def test_inviting_newcomers_below_k_gives_no_count(world) -> None:
    _three_members(world)
    vn = joint.check_propose(world.member_a, world.covenant_x, "Wages in Viet Nam", country="VN")
    page = _invite_newcomers(world.member_a, vn)
    assert "source there now were invited" not in page
    assert "sources there now was invited" not in page
    assert "Members that began sourcing there since, if any, were invited." in page
    page = _invite_newcomers(world.secretariat_x, vn)
    assert "0 members that source there now were invited." in page


def test_a_verifier_reads_no_count_of_members_at_a_facility_below_k(world) -> None:
    _three_members(world)
    union = make_user("union_verifier", make_org("FNV Mondiaal", type="union"))
    saigon = next(f for f in world.facilities if f.country == "VN")
    action = joint.check_propose(world.member_a, world.covenant_x, "Fire", facility_id=saigon.pk)
    cap.check_name_verifier(world.member_a, action, union.username, "union")
    assert joint.people(union, action).invited_open is None


def test_the_invitation_to_a_regional_action_speaks_of_the_country(client, world) -> None:
    """It said "on this facility" for a regional action too, which has none."""
    _three_members(world)
    vn = joint.check_propose(world.member_a, world.covenant_x, "Wages in Viet Nam", country="VN")
    page = _page(client, world.member_b, vn)
    assert "proposes to act together in this country." in page
    assert "on this facility" not in page
    client.force_login(world.member_b)
    dutch = client.get(f"/collective/actions/{vn.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "samen op te trekken in dit land" in dutch
    saigon = next(f for f in world.facilities if f.country == "VN")
    fire = joint.check_propose(world.member_a, world.covenant_x, "Fire", facility_id=saigon.pk)
    assert "proposes to act together on this facility." in _page(client, world.member_b, fire)
