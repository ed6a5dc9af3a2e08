"""A member learns nothing of other members' lists through joint action while fewer
than K members disclose. Found by the audit: a member can put any factory on its
own list; with one other member disclosing, the leverage page's count, a proposal's
"no one to invite" and the action's invitation count each said whether that other
member sources there."""

from __future__ import annotations

import pytest

from imvo.collective.services import joint, leverage
from imvo.collective.tests.helpers import disclose
from imvo.core.errors import PermissionDeniedError
from imvo.supplychain.tests.helpers import REGISTRY, make_registry


@pytest.mark.django_db
def test_two_disclosing_members_learn_nothing_of_each_other(world) -> None:
    facilities = make_registry()
    disclose(world.member_b, world.covenant_x, [REGISTRY[0]])  # B: Dhaka only
    disclose(world.member_a, world.covenant_x, [REGISTRY[0], REGISTRY[1]])  # A probes two
    mine = {f.facility_id: (f.others, f.shared) for f in leverage.my_facilities(world.member_a)}
    assert mine == {facilities[0].pk: ("", False), facilities[1].pk: ("", False)}
    for facility in facilities[:2]:
        with pytest.raises(PermissionDeniedError, match="at least 5 members"):
            joint.check_propose(world.member_a, world.covenant_x, "x", facility_id=facility.pk)
    with pytest.raises(PermissionDeniedError, match="at least 5 members"):
        joint.check_propose(world.member_a, world.covenant_x, "Wages", country="BD")
    # The secretariat, who sees every list anyway, still organises joint action.
    action = joint.check_propose(
        world.secretariat_x, world.covenant_x, "Fire safety", facility_id=facilities[0].pk
    )
    assert set(action.participations.values_list("organisation__name", flat=True)) == {
        "Company A",
        "Company B",
    }
