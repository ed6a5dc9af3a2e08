"""The escalation path and what it does to the member's adherence."""

from __future__ import annotations

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, AdherenceChange
from imvo.duediligence.services import escalation, submissions

from .helpers import LATER

pytestmark = pytest.mark.django_db


def test_escalation_changes_adherence(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_b
    with pytest.raises(DomainError, match="reason"):
        escalation.check_record_escalation(sec, cov, org, "dialogue", "  ")
    escalation.check_record_escalation(sec, cov, org, "dialogue", "No action plan", deadline=LATER)
    escalation.check_record_escalation(sec, cov, org, "formal_notice", "Still none")
    with pytest.raises(DomainError, match="already at"):
        escalation.check_record_escalation(sec, cov, org, "dialogue", "back to talking")
    escalation.check_record_escalation(sec, cov, org, "suspension", "No plan after notice")
    adh = Adherence.objects.get(covenant=cov, organisation=org)
    assert adh.status == Adherence.Status.SUSPENDED
    assert AdherenceChange.objects.filter(adherence=adh, to_status="suspended").exists()
    # A suspended member is no longer a member for submissions.
    with pytest.raises(PermissionDeniedError):
        submissions.check_start_submission(world.member_b, cov, 2025)
    escalation.check_record_escalation(sec, cov, org, "exclusion", "Persistently falls short")
    adh.refresh_from_db()
    assert adh.status == Adherence.Status.WITHDRAWN
    with pytest.raises(DomainError, match="excluded"):
        escalation.check_record_escalation(sec, cov, org, "resolved", "oops")
    with pytest.raises(PermissionDeniedError):
        escalation.check_record_escalation(
            world.secretariat_y, cov, world.company_a, "dialogue", "x"
        )


def test_resolved_reinstates_a_suspended_member(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_a
    escalation.check_record_escalation(sec, cov, org, "suspension", "No plan")
    escalation.check_record_escalation(sec, cov, org, "resolved", "Plan approved")
    assert Adherence.objects.get(covenant=cov, organisation=org).status == "active"
    assert escalation.current_escalation(cov, org) is None


def test_exclusion_cites_the_steering_group_decision(world, fw) -> None:
    from imvo.covenants.services import governance

    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_b
    body = governance.check_create_body(sec, cov, "Stuurgroep", "Steering group")
    decision = governance.check_record_decision(
        sec, body, "Company B wordt uitgesloten.", "Company B is excluded."
    )
    other_body = governance.check_create_body(
        world.secretariat_y, world.covenant_y, "Stuurgroep", "Steering group"
    )
    other = governance.check_record_decision(world.secretariat_y, other_body, "x", "x")
    with pytest.raises(DomainError, match="decision of this covenant"):
        escalation.check_record_escalation(
            sec, cov, org, "exclusion", "Falls short", decision=other
        )
    step = escalation.check_record_escalation(
        sec, cov, org, "exclusion", "Falls short", decision=decision
    )
    assert step.decision == decision and list(decision.escalations.all()) == [step]
    change = AdherenceChange.objects.get(adherence__organisation=org, to_status="withdrawn")
    assert change.reason == f"Falls short (decision {decision.number}, Steering group)"
