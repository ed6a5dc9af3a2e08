"""Joint action through the services: who learns what, cost shares, verification, ladder."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from imvo.collective.models import CapItem, JointAction, Leverage, Participation
from imvo.collective.services import cap, joint, ladder, leverage
from imvo.collective.services.figures import cap_figures
from imvo.collective.tests.helpers import share_a_facility
from imvo.core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _action(world, shared):
    return joint.check_propose(
        world.member_a, world.covenant_x, "Fire safety", "Locked exits",
        facility_id=shared.facility.pk, theme_code="health-safety",
    )  # fmt: skip


def test_leverage_is_private_and_counts_others_without_names(world) -> None:
    shared = share_a_facility(world)
    leverage.check_save_leverage(world.member_a, shared.facility.pk, "7-20", 6, 250000)
    mine = {f.facility_id: f for f in leverage.my_facilities(world.member_a)}
    # B and D: a count (A, B and D are K = 3 members; below K a range: test_overlap_bands).
    assert mine[shared.facility.pk].others == "2" and mine[shared.facility.pk].shared
    assert mine[shared.facility.pk].share_band == "7-20"
    assert mine[shared.other_facility.pk].others == "0"
    assert not mine[shared.other_facility.pk].shared
    assert Leverage.objects.visible_to(world.member_b).count() == 0
    assert Leverage.objects.visible_to(world.secretariat_x).count() == 1
    assert Leverage.objects.visible_to(world.secretariat_y).count() == 0
    with pytest.raises(DomainError, match="0-1"):
        leverage.check_save_leverage(world.member_a, shared.facility.pk, "50")
    with pytest.raises(PermissionDeniedError):  # C does not source there
        leverage.check_save_leverage(world.member_c, shared.facility.pk, "0-1")


def test_invitees_are_not_named_to_each_other(world) -> None:
    shared = share_a_facility(world)
    action = _action(world, shared)
    statuses = dict(action.participations.values_list("organisation__name", "status"))
    assert statuses == {"Company A": "joined", "Company B": "invited", "Company D": "invited"}
    # Invited B sees the action but no member names, nor who proposed it.
    assert JointAction.objects.visible_to(world.member_b).filter(pk=action.pk).exists()
    assert joint.people(world.member_b, action).joined == []
    joint.check_decide(world.member_b, action, "join")
    assert joint.people(world.member_b, action).joined == ["Company A", "Company B"]
    # D declines: it no longer sees the action, and never saw A or B.
    assert joint.people(shared.member_d, action).joined == []
    joint.check_decide(shared.member_d, action, "decline")
    assert not JointAction.objects.visible_to(shared.member_d).filter(pk=action.pk).exists()
    # The secretariat sees every invitation; C (covenant Y) and the other secretariat nothing.
    assert len(joint.people(world.secretariat_x, action).all_rows) == 3
    assert not JointAction.objects.visible_to(world.member_c).exists()
    assert not JointAction.objects.visible_to(world.secretariat_y).exists()


def test_a_member_proposes_only_on_its_own_facility(world) -> None:
    shared = share_a_facility(world)
    with pytest.raises(PermissionDeniedError):
        joint.check_propose(world.member_c, world.covenant_x, "x", facility_id=shared.facility.pk)
    with pytest.raises(DomainError, match="no one to invite"):
        joint.check_propose(
            world.member_a, world.covenant_x, "x", facility_id=shared.other_facility.pk
        )
    action = joint.check_propose(
        world.secretariat_x, world.covenant_x, "Living wage in Bangladesh", country="bd"
    )
    assert action.proposed_by_org_id is None
    assert action.participations.filter(status=Participation.Status.INVITED).count() == 3


def test_cost_shares_verification_and_public_counts(world) -> None:
    shared = share_a_facility(world)
    action = _action(world, shared)
    joint.check_decide(world.member_b, action, "join")
    finding = cap.check_add_finding(world.member_b, action, "union", "Exits locked")
    item = cap.check_add_item(
        world.member_a, finding, "Panic bars", "factory",
        timezone.localdate() + timedelta(days=30), "4200,50",
    )  # fmt: skip
    assert item.cost_estimate == Decimal("4200.50")
    a, b, d = world.company_a.pk, world.company_b.pk, shared.company_d.pk
    with pytest.raises(DomainError, match="add up to 90"):
        cap.check_set_shares(world.member_a, item, {a: 60, b: 30})
    with pytest.raises(DomainError, match="joined"):
        cap.check_set_shares(world.member_a, item, {a: 50, d: 50})
    cap.check_set_shares(world.member_a, item, {a: 60, b: 40})
    assert not cap.shares_agreed(item)
    cap.check_agree_share(world.member_b, item)
    assert cap.shares_agreed(item)
    # Verification: only a named verifier; a member company's user cannot be one.
    with pytest.raises(DomainError, match="independent"):
        cap.check_name_verifier(world.member_a, action, "member_b", "auditor")
    cap.check_name_verifier(world.member_a, action, shared.union.username, "union")
    with pytest.raises(DomainError, match="evidence"):
        cap.check_report(world.member_a, item, "reported", "")
    cap.check_report(world.member_a, item, "reported", "Photos of the bars, 3 June")
    with pytest.raises(PermissionDeniedError):
        cap.check_verify(world.member_a, item, True)
    assert cap_figures(world.covenant_x).total.verified == 0
    cap.check_verify(shared.union, item, True, "Visited: bars fitted")
    item.refresh_from_db()
    assert item.status == CapItem.Status.VERIFIED and item.verified_by == shared.union
    f = cap_figures(world.covenant_x)
    assert (len(f.total.facilities), f.total.items, f.total.verified) == (1, 1, 1)
    # Two joined members, K = 5: Bangladesh is not named, it is among "other countries".
    assert f.by_country == {} and f.other_countries and f.other_countries.percent == 100.0
    assert f.public == []  # no consent yet
    cap.check_consent(world.member_a, action, member=True, facility=True, note="Owner, by letter")
    assert cap_figures(world.covenant_x).public == []  # B has not agreed
    cap.check_consent(world.member_b, action, member=True)
    assert [p.facility for p in cap_figures(world.covenant_x).public] == [shared.facility.name]


def test_the_ladder_ends_in_a_responsible_exit(world) -> None:
    shared = share_a_facility(world)
    action = _action(world, shared)
    later = timezone.localdate() + timedelta(days=120)
    with pytest.raises(DomainError, match="final warning"):
        ladder.check_exit(world.member_a, action, "kept on", "paid", later, True)
    for text in ("Notice", "Warning", "Final"):
        ladder.check_send_notice(world.member_a, action, text)
    with pytest.raises(DomainError, match="final warning has been given"):
        ladder.check_send_notice(world.member_a, action, "again")
    with pytest.raises(DomainError, match="workers"):
        ladder.check_exit(world.member_a, action, "", "paid", later, True)
    with pytest.raises(DomainError, match="90 days"):
        ladder.check_exit(world.member_a, action, "kept on", "paid",
                          timezone.localdate() + timedelta(days=10), True)  # fmt: skip
    ladder.check_exit(world.member_a, action, "Severance paid by the brands", "paid", later, True)
    action.refresh_from_db()
    assert action.status == JointAction.Status.EXITED
    with pytest.raises(PermissionDeniedError):
        cap.check_add_finding(world.member_a, action, "audit", "late")


def test_members_that_start_sourcing_later_are_invited_once(world) -> None:
    from imvo.accounts.testing import make_user
    from imvo.collective.tests.helpers import disclose
    from imvo.supplychain.tests.helpers import REGISTRY
    from imvo.testing import adhere, make_org

    shared = share_a_facility(world)
    action = _action(world, shared)
    joint.check_decide(shared.member_d, action, "decline")
    assert joint.check_invite_newcomers(world.member_a, action) == 0  # D is not asked again
    late = make_org("Company E")
    adhere(world.covenant_x, late)
    disclose(make_user("member_e", late), world.covenant_x, [REGISTRY[0]])
    assert joint.check_invite_newcomers(world.member_a, action) == 1
    assert action.participations.get(organisation=late).status == Participation.Status.INVITED
    with pytest.raises(PermissionDeniedError):  # B is only invited: it does not steer
        joint.check_invite_newcomers(world.member_b, action)
