"""A member company that left the covenant (withdrawn, suspended or excluded)
no longer sees the joint actions it had joined, nor who joins them (docs/security.md,
T78), nor how many other members source at its factories (T79)."""

from __future__ import annotations

import pytest

from imvo.collective.models import JointAction
from imvo.collective.services import access, cap, joint
from imvo.collective.tests.helpers import fire_safety_plan, share_a_facility
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Adherence
from imvo.covenants.services import change_adherence
from imvo.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_joined_member_that_left_no_longer_reads_the_action(world) -> None:
    """Before: the participation alone opened the action. Company B, withdrawn from
    covenant X, read on which members joined (D joining after it had left: a
    member's link to the factory, named), the plan and the findings, and kept
    changing the plan; T67 kept a company that left from proposing only."""
    shared = share_a_facility(world)
    action, _item = fire_safety_plan(
        world.member_a, world.member_b, world.covenant_x, shared.facility.pk
    )
    page = f"/collective/actions/{action.pk}/"
    b = client_for(world.member_b, "en")
    assert b.get(page).status_code == 200

    (adherence,) = Adherence.objects.filter(covenant=world.covenant_x, organisation=world.company_b)
    change_adherence(world.secretariat_x, adherence, Adherence.Status.WITHDRAWN, reason="Left")
    joint.check_decide(shared.member_d, action, "join")
    assert b.get(page).status_code == 404
    assert not JointAction.objects.visible_to(world.member_b).exists()
    assert "Company D" not in b.get("/collective/").content.decode()
    assert access.participation(world.member_b, action) is None
    assert not access.may_work_on(world.member_b, action)
    with pytest.raises(PermissionDeniedError):
        cap.check_add_finding(world.member_b, action, "audit", "Made up after leaving")
    # Those still in the covenant read on; so does B once it is reinstated.
    assert "Company D" in client_for(world.member_a, "en").get(page).content.decode()
    change_adherence(world.secretariat_x, adherence, Adherence.Status.ACTIVE)
    assert b.get(page).status_code == 200


def test_a_member_that_left_reads_no_overlap_at_its_factories(world, client) -> None:
    """Before: the joint-action index counted the other members at the factories of a
    withdrawn company's current list (the supply chain's shared-facilities page had
    stopped: it asks for an active member), so the company kept a reading of the
    members' overlap, and of each change to it (docs/security.md, T79)."""
    from imvo.collective.services.leverage import my_facilities

    shared = share_a_facility(world)

    def others(user) -> dict[int, tuple[str, bool]]:
        return {f.facility_id: (f.others, f.shared) for f in my_facilities(user)}

    assert others(world.member_b)[shared.facility.pk] == ("2", True)
    (adherence,) = Adherence.objects.filter(covenant=world.covenant_x, organisation=world.company_b)
    change_adherence(world.secretariat_x, adherence, Adherence.Status.WITHDRAWN, reason="Left")
    assert others(world.member_b)[shared.facility.pk] == ("", False)
    assert others(world.member_a)[shared.facility.pk] == ("2", True)  # B's list still counts
    client.force_login(world.member_b)
    assert client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").status_code == 404
