"""Builders for joint-action tests: members of one covenant sharing a facility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.collective.models import CapItem, JointAction
from imvo.collective.services import cap, joint
from imvo.supplychain import services as supplychain
from imvo.supplychain.models import Facility
from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry
from imvo.testing import World, adhere, make_org


@dataclass
class Shared:
    facility: Facility
    other_facility: Facility  # only company A sources here
    company_d: Any
    member_d: Any  # a third member at the facility, who will not join
    union: Any  # a trade-union user, the verifier


def disclose(user: Any, covenant: Any, rows: list[tuple[str, str, str]]) -> None:
    """Upload and process (the tests' task backend runs at once) a supplier list."""
    supplychain.upload_list(
        user, covenant, 2025, "suppliers.csv", csv_bytes([list(r) for r in rows])
    )


def share_a_facility(w: World) -> Shared:
    """Companies A, B and D of covenant X disclose the same facility, none knowing it
    (K = 3: members learn of overlap only once K members disclose)."""
    from imvo.supplychain.models import DisclosurePolicy

    DisclosurePolicy.objects.update_or_create(covenant=w.covenant_x, defaults={"min_members": 3})
    facilities = make_registry()
    d = make_org("Company D")
    adhere(w.covenant_x, d)
    member_d = make_user("member_d", d)
    union_org = make_org("FNV Mondiaal", type="union")
    union = make_user("union_verifier", union_org, first_name="Uma", last_name="Union")
    disclose(w.member_a, w.covenant_x, [REGISTRY[0], REGISTRY[1]])
    disclose(w.member_b, w.covenant_x, [REGISTRY[0]])
    disclose(member_d, w.covenant_x, [REGISTRY[0]])
    return Shared(facilities[0], facilities[1], d, member_d, union)


def fire_safety_plan(
    proposer: Any,
    joiner: Any,
    covenant: Any,
    facility_id: int,
    *,
    due_in_days: int = 30,
    cost_estimate: str | None = None,
) -> tuple[JointAction, CapItem]:
    """`proposer` proposes joint action on locked fire exits at the facility and `joiner`
    joins; the audit's finding gets one item (panic bars, due in `due_in_days`)."""
    action = joint.check_propose(
        proposer, covenant, "Fire safety", "Locked exits",
        facility_id=facility_id, theme_code="health-safety",
    )  # fmt: skip
    joint.check_decide(joiner, action, "join")
    finding = cap.check_add_finding(proposer, action, "audit", "Exits locked")
    item = cap.check_add_item(
        proposer, finding, "Panic bars", "factory",
        timezone.localdate() + timedelta(days=due_in_days), cost_estimate,
    )  # fmt: skip
    return action, item
